// Proves each dependency boundary of ARCHITECTURE.md fails the lint when crossed.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe("dependency boundaries", () => {
  it.each([
    ["provider/ importing reconciler/", "provider/client/example.ts", 'import { x } from "../../reconciler/plan/plan.js";\nexport const y = x;\n', "no-restricted-imports"],
    ["provider/ importing devserver/", "provider/kinds/variable/api.ts", 'import { x } from "../../../devserver/store.js";\nexport const y = x;\n', "no-restricted-imports"],
    ["a construct importing the client", "provider/kinds/variable/construct.ts", 'import { x } from "../../client/client.js";\nexport const y = x;\n', "no-restricted-imports"],
    ["a construct importing api.ts", "provider/kinds/variable/construct.ts", 'import { x } from "./api.js";\nexport const y = x;\n', "no-restricted-imports"],
    ["a kind schema importing undici", "provider/kinds/variable/schema.ts", 'import { request } from "undici";\nexport const y = request;\n', "no-restricted-imports"],
    ["devserver/ importing provider/", "devserver/routes/flows.ts", 'import { x } from "../../provider/kinds/flow/schema.js";\nexport const y = x;\n', "no-restricted-imports"],
    ["devserver/ importing reconciler/", "devserver/server.ts", 'import { x } from "../reconciler/cli.js";\nexport const y = x;\n', "no-restricted-imports"],
    ["apply/ evaluating the configuration", "reconciler/apply/upsert.ts", 'import { evaluateInstance } from "../config/resolve.js";\nexport const y = evaluateInstance;\n', "no-restricted-imports"],
    ["apply/ diffing again", "reconciler/apply/upsert.ts", 'import { plannedDiff } from "../plan/impact.js";\nexport const y = plannedDiff;\n', "no-restricted-imports"],
    ["product code reading process.env", "reconciler/plan/diff.ts", "export const url = process.env.PREFECT_API_URL;\n", "no-restricted-properties"],
    ["product code reading process.argv", "provider/client/settings.ts", "export const args = process.argv;\n", "no-restricted-properties"],
    ["product code writing to the terminal", "reconciler/apply/apply.ts", 'export function f(): void {\n  console.log("x");\n}\n', "no-console"],
    ["a construct importing cdktf directly", "provider/kinds/variable/construct.ts", 'import { TerraformStack } from "cdktf";\nexport const y = TerraformStack;\n', "no-restricted-imports"],
    ["an example importing constructs directly", "examples/quickstart/main.ts", 'import { Construct } from "constructs";\nexport const y = Construct;\n', "no-restricted-imports"],
  ])("%s fails the lint", async (_name, filePath, code, rule) => {
    expect(await ruleIds(filePath, code)).toContain(rule);
  });

  it.each([
    ["the CLI reading the environment", "reconciler/cli.ts", "export const url = process.env.PREFECT_API_URL;\nconsole.log(url);\n"],
    ["a construct importing its schema", "provider/kinds/variable/construct.ts", 'import { x } from "./schema.js";\nexport const y = x;\n'],
    ["a construct importing the client's types only", "provider/kinds/variable/construct.ts", 'import type { X } from "../../client/client.js";\nexport type Y = X;\n'],
    ["devserver/ importing the contract", "devserver/routes/flows.ts", 'import { Contract } from "../../contract/validator.js";\nexport const y = Contract;\n'],
    ["apply/ reading the Plan model", "reconciler/apply/upsert.ts", 'import { isPayloadMarker } from "../plan/model.js";\nexport const y = isPayloadMarker;\n'],
    ["the CDK seam importing cdktf", "provider/cdk.ts", 'import { App } from "cdktf";\nexport const y = App;\n'],
  ])("%s passes the lint", async (_name, filePath, code) => {
    expect(await ruleIds(filePath, code)).toEqual([]);
  });
});
