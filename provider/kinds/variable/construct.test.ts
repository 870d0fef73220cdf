import { describe, expect, it } from "vitest";
import { TerraformOutput, TerraformVariable, Testing, type TerraformStack } from "../../cdk.js";
import { Flow as FlowL1 } from "../../generated/prefect/flow/index.js";
import { SecretValue } from "../../constructs/secret-value.js";
import { newStack, synth as synthJson } from "../../constructs/synth.testing.js";
import { Variable } from "./construct.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const synth = (stack: TerraformStack): Json => synthJson(stack) as Json;

describe("Variable", () => {
  describe("synthesizes", () => {
    // The bindings type the dynamic `value` as a map; each kind of JSON value must come out as it is.
    it.each<[string, unknown]>([
      ["a number", 42],
      ["a fractional number", 0.25],
      ["zero", 0],
      ["a string", "eu-west-1"],
      ["an empty string", ""],
      ["true", true],
      ["false", false],
      ["a list", [1, "two", { three: 3 }]],
      ["an empty list", []],
      ["an object", { regions: ["eu-west-1"], dry_run: false, limits: { max: 10 } }],
      ["an empty object", {}],
    ])("%s as the value itself", (_name, value) => {
      const stack = newStack();
      new Variable(stack, "v", { name: "v", value });
      expect(synth(stack).resource.prefect_variable.v).toEqual({ name: "v", value });
    });

    it("tokens inside the value as references", () => {
      const stack = newStack();
      const flow = new FlowL1(stack, "etl", { name: "etl" });
      const size = new TerraformVariable(stack, "size", { type: "number" });
      new Variable(stack, "v", { name: "v", value: { flow: flow.id, size: size.numberValue, names: [flow.name] } });
      expect(synth(stack).resource.prefect_variable.v.value).toEqual({ flow: "${prefect_flow.etl.id}", size: "${var.size}", names: ["${prefect_flow.etl.name}"] });
    });

    it("a value that is a reference as the reference", () => {
      const stack = newStack();
      const region = new TerraformVariable(stack, "region", { type: "string" });
      new Variable(stack, "v", { name: "v", value: region.stringValue });
      expect(synth(stack).resource.prefect_variable.v.value).toBe("${var.region}");
    });

    it("a SecretValue inside the value as a reference to its sensitive variable", () => {
      const stack = newStack();
      new Variable(stack, "v", { name: "v", value: { user: "etl", password: SecretValue.fromEnvironment("DB_PASSWORD") } });
      const json = synth(stack);
      expect(json.resource.prefect_variable.v.value).toEqual({ user: "etl", password: "${var.DB_PASSWORD}" });
      expect(json.variable.DB_PASSWORD).toMatchObject({ sensitive: true });
    });

    it("tags", () => {
      const stack = newStack();
      new Variable(stack, "v", { name: "v", value: 1, tags: ["etl", "prod"] });
      expect(synth(stack).resource.prefect_variable.v).toEqual({ name: "v", value: 1, tags: ["etl", "prod"] });
    });

    it("exposes its id and name as references", () => {
      const stack = newStack();
      const variable = new Variable(stack, "v", { name: "v", value: 1 });
      new TerraformOutput(stack, "id", { value: variable.variableId });
      new TerraformOutput(stack, "name", { value: variable.variableName });
      expect(synth(stack).output).toEqual({ id: { value: "${prefect_variable.v.id}" }, name: { value: "${prefect_variable.v.name}" } });
    });
  });

  describe("validates at synth", () => {
    it.each<[string, ConstructorParameters<typeof Variable>[2], RegExp]>([
      ["a name with capitals and spaces", { name: "Batch Size", value: 1 }, /^name: "Batch Size" is not a valid variable name: use only lowercase letters, digits, dashes and underscores \(e\.g\. "batch_size"\)$/],
      ["a name longer than 255 characters", { name: "a".repeat(256), value: 1 }, /^name: is 256 characters long; Prefect allows at most 255$/],
      ["no value", { name: "v", value: undefined }, /^value: is required$/],
      ["a null value", { name: "v", value: null }, /^value: is required$/],
      ["tags that are not strings", { name: "v", value: 1, tags: [1 as never] }, /^tags\[0\]: must be a string, got number 1$/],
      ["a secret from a variable that is not a variable name", { name: "v", value: SecretValue.fromEnvironment("my token") }, /^SecretValue\.fromEnvironment\("my token"\): not a Terraform variable name/],
    ])("refuses %s", (_name, props, message) => {
      const found = new Variable(newStack(), "v", props).node.validate();
      expect(found, found.join("\n")).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });

    it("reports every problem together, naming the construct path", () => {
      const stack = newStack();
      new Variable(stack, "v", { name: "Bad Name", value: undefined });
      expect(() => Testing.synth(stack, true)).toThrow(/\[test\/v\] name: "Bad Name" is not a valid variable name[^\n]*\n\s+\[test\/v\] value: is required/);
    });
  });
});
