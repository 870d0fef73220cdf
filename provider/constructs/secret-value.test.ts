import { describe, expect, it } from "vitest";
import { Construct, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "../cdk.js";
import { resolveSecret, SecretValue } from "./secret-value.js";

const newStack = () => new TerraformStack(Testing.app(), "test");

/** What a resolved value synthesizes to. */
function synthesized(stack: TerraformStack, value: string): unknown {
  new TerraformOutput(stack, "probe", { value });
  return (JSON.parse(Testing.synth(stack)) as { output: { probe: { value: unknown } } }).output.probe.value;
}

describe("SecretValue", () => {
  it("never shows a literal when turned into text or JSON by mistake", () => {
    const secret = SecretValue.unsafePlainText("hunter2");
    expect(String(secret)).toBe("<SecretValue>");
    expect(`${secret}`).not.toContain("hunter2");
    expect(JSON.stringify(secret)).not.toContain("hunter2");
  });

  it("resolves a variable to a reference to it", () => {
    const stack = newStack();
    const token = new TerraformVariable(stack, "token", { type: "string", sensitive: true });
    const resolved = resolveSecret(SecretValue.fromVariable(token), stack);
    expect(synthesized(stack, resolved.value)).toBe("${var.token}");
    expect(resolved.problems()).toEqual([]);
  });

  it("resolves plain text to the text", () => {
    expect(resolveSecret(SecretValue.unsafePlainText("hunter2"), newStack()).value).toBe("hunter2");
  });

  it("declares the environment's variable at the root of the stack of the construct using it, named as given", () => {
    const stack = newStack();
    const deep = new Construct(new Construct(stack, "team"), "alerts");
    const resolved = resolveSecret(SecretValue.fromEnvironment("API_TOKEN"), deep);
    const variable = stack.node.tryFindChild("API_TOKEN") as TerraformVariable;
    expect(variable).toBeInstanceOf(TerraformVariable);
    expect([variable.sensitive, variable.nullable, variable.type]).toEqual([true, false, "string"]);
    expect(synthesized(stack, resolved.value)).toBe("${var.API_TOKEN}");
  });

  it("reuses a sensitive variable the stack already declares under the same name", () => {
    const stack = newStack();
    new TerraformVariable(stack, "prefect_api_key", { type: "string", sensitive: true });
    const resolved = resolveSecret(SecretValue.fromEnvironment("prefect_api_key"), stack);
    expect(resolved.problems()).toEqual([]);
    expect(synthesized(stack, resolved.value)).toBe("${var.prefect_api_key}");
  });

  it("refuses a variable of the same name that is not sensitive", () => {
    const stack = newStack();
    new TerraformVariable(stack, "region", { type: "string" });
    expect(resolveSecret(SecretValue.fromEnvironment("region"), stack).problems()).toEqual([
      'the variable "region" holding a secret is not sensitive: declare it with { sensitive: true } so that plans, logs and errors never show its value',
    ]);
  });

  it("refuses what is not a SecretValue", () => {
    expect(() => resolveSecret({} as SecretValue, newStack())).toThrow(/Not a SecretValue/);
  });
});
