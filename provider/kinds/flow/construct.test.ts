import { describe, expect, it } from "vitest";
import { Construct } from "../../cdk.js";
import { newStack, resolved, resources, synth, synthError } from "../../constructs/synth.testing.js";
import { Flow } from "./construct.js";

describe("Flow", () => {
  it("synthesizes a prefect_flow with its name and tags, at the construct's own address", () => {
    const stack = newStack();
    new Flow(stack, "etl", { name: "etl", tags: ["team-data", "nightly"] });
    expect(resources(synth(stack), "prefect_flow")).toEqual({ etl: { name: "etl", tags: ["team-data", "nightly"] } });
  });

  it("exposes references to its id and name", () => {
    const stack = newStack();
    const flow = new Flow(stack, "etl", { name: "etl" });
    expect(resolved(stack, { id: flow.flowId, name: flow.flowName })).toEqual({ id: "${prefect_flow.etl.id}", name: "${prefect_flow.etl.name}" });
  });

  describe("Flow.forName", () => {
    it("declares the flow once per stack, wherever it is asked for", () => {
      const stack = newStack();
      const nested = new Construct(stack, "team");
      const first = Flow.forName(nested, "etl");
      const second = Flow.forName(stack, "etl");
      expect(second).toBe(first);
      expect(first.node.path).toBe("test/flow-etl");
      expect(resources(synth(stack), "prefect_flow")).toEqual({ "flow-etl": { name: "etl" } });
    });

    it("reuses a Flow declared with new Flow", () => {
      const stack = newStack();
      const declared = new Flow(stack, "Etl", { name: "etl", tags: ["x"] });
      expect(Flow.forName(stack, "etl")).toBe(declared);
      expect(Object.keys(resources(synth(stack), "prefect_flow"))).toEqual(["Etl"]);
    });

    it("keeps stacks apart", () => {
      const one = newStack("one");
      const two = newStack("two");
      expect(Flow.forName(one, "etl")).not.toBe(Flow.forName(two, "etl"));
    });
  });

  it("references a flow managed elsewhere by id, whose name is then unknown", () => {
    const stack = newStack();
    const flow = Flow.fromFlowId(stack, "Etl", "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f");
    expect(flow.flowId).toBe("2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f");
    expect(() => flow.flowName).toThrow(/test\/Etl: the flow was referenced by id only.*Flow\.fromFlowAttributes/);
    expect(resources(synth(stack), "prefect_flow")).toEqual({});
  });

  it("references a flow managed elsewhere by id and name", () => {
    const stack = newStack();
    expect(Flow.fromFlowAttributes(stack, "Etl", { flowId: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f", flowName: "etl" })).toMatchObject({ flowName: "etl" });
  });

  describe("validation at synth", () => {
    it.each([
      ["an empty name", "", "[test/flow] name: must not be empty"],
      ["a name with / % & > <", "etl%", '[test/flow] name: "etl%" is not a valid flow name: Prefect refuses the characters / % & > < (found %); e.g. "etl-"'],
    ])("refuses %s", (_, name, message) => {
      const stack = newStack();
      new Flow(stack, "flow", { name });
      expect(synthError(stack)).toContain(message);
    });

    it("refuses two declarations of one flow in a stack (the engine refuses duplicate identities)", () => {
      const stack = newStack();
      new Flow(stack, "one", { name: "etl" });
      new Flow(stack, "two", { name: "etl" });
      const message = synthError(stack);
      expect(message).toContain('[test/one] name: the flow "etl" is also declared by test/two; a stack declares a flow once');
      expect(message).toContain('[test/two] name: the flow "etl" is also declared by test/one');
      expect(message).toContain('Flow.forName(scope, "etl")');
    });

    it("reports every problem at once, each with the construct path", () => {
      const stack = newStack();
      new Flow(stack, "one", { name: "a/b" });
      new Flow(stack, "two", { name: "a/b" });
      const message = synthError(stack);
      expect(message).toContain('[test/one] name: "a/b" is not a valid flow name');
      expect(message).toContain('[test/one] name: the flow "a/b" is also declared by test/two');
      expect(message).toContain('[test/two] name: "a/b" is not a valid flow name');
    });
  });
});
