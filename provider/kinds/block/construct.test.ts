import { afterEach, describe, expect, it } from "vitest";
import { TerraformOutput, TerraformVariable, Testing, type TerraformStack } from "../../cdk.js";
import { SecretValue } from "../../constructs/secret-value.js";
import { newStack, synth as synthJson } from "../../constructs/synth.testing.js";
import { Block } from "./construct.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET = "xoxb-s3cr3t-Tr0ub4dor-horse-battery";

const synthText = (stack: TerraformStack): string => Testing.synth(stack, true);
const synth = (stack: TerraformStack): Json => synthJson(stack) as Json;
const blockJson = (stack: TerraformStack, id: string): Json => synth(stack).resource.prefect_block[id] as Json;

describe("Block", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  });

  describe("synthesizes", () => {
    it("a secret block whose value is a sensitive variable's, written with jsonencode: the secret never reaches cdk.tf.json", () => {
      // Whatever the environment holds at synth, it is not read.
      process.env.TF_VAR_db_password = SECRET;
      process.env.db_password = SECRET;
      const stack = newStack();
      const password = new TerraformVariable(stack, "db_password", { type: "string", sensitive: true });
      Block.secret(stack, "db", { name: "db-password", value: SecretValue.fromVariable(password) });
      const text = synthText(stack);
      expect(text).not.toContain(SECRET);
      const json = JSON.parse(text) as Json;
      expect(json.resource.prefect_block.db).toEqual({ name: "db-password", type_slug: "secret", data: '${jsonencode({"value" = var.db_password})}' });
      expect(json.variable.db_password).toEqual({ type: "string", sensitive: true });
    });

    it("a slack-webhook block whose URL comes from the environment at plan time (TF_VAR_<name>), never read at synth", () => {
      process.env.SLACK_WEBHOOK_URL = SECRET;
      process.env.TF_VAR_SLACK_WEBHOOK_URL = SECRET;
      const stack = newStack();
      Block.slackWebhook(stack, "alerts", { name: "alerts", url: SecretValue.fromEnvironment("SLACK_WEBHOOK_URL"), notifyType: "failure", allowPrivateUrls: false });
      const text = synthText(stack);
      expect(text).not.toContain(SECRET);
      const json = JSON.parse(text) as Json;
      expect(json.resource.prefect_block.alerts).toEqual({
        name: "alerts",
        type_slug: "slack-webhook",
        data: '${jsonencode({"url" = var.SLACK_WEBHOOK_URL, "notify_type" = "failure", "allow_private_urls" = false})}',
      });
      expect(json.variable.SLACK_WEBHOOK_URL).toEqual({
        type: "string",
        sensitive: true,
        nullable: false,
        description: "A secret for Prefect; set it with the environment variable TF_VAR_SLACK_WEBHOOK_URL.",
      });
    });

    it("one variable for every use of the same environment name in a stack, with the description given first", () => {
      const stack = newStack();
      const url = SecretValue.fromEnvironment("HOOK_URL", { description: "The on-call webhook" });
      Block.webhook(stack, "a", { name: "a", url });
      Block.webhook(stack, "b", { name: "b", url: SecretValue.fromEnvironment("HOOK_URL") });
      const json = synth(stack);
      expect(Object.keys(json.variable)).toEqual(["HOOK_URL"]);
      expect(json.variable.HOOK_URL.description).toBe("The on-call webhook");
      expect(json.resource.prefect_block.b.data).toBe('${jsonencode({"url" = var.HOOK_URL})}');
    });

    it("a secret given as plain text in clear, as its name says", () => {
      const stack = newStack();
      Block.secret(stack, "demo", { name: "demo", value: SecretValue.unsafePlainText("not-secret") });
      expect(blockJson(stack, "demo").data).toBe('{"value":"not-secret"}');
    });

    it("a custom-webhook block: the webhook's name defaulting to the block's, secrets from variables, undefined fields left out", () => {
      const stack = newStack();
      Block.customWebhook(stack, "pager", {
        name: "pager",
        url: "https://events.example.com/v2/enqueue",
        method: "PUT",
        jsonData: { summary: "{{subject}}", details: "{{body}}", routing_key: "{{key}}" },
        headers: { "X-Source": "prefect" },
        timeout: 5,
        secrets: { key: SecretValue.fromEnvironment("PAGER_KEY") },
      });
      expect(blockJson(stack, "pager")).toEqual({
        name: "pager",
        type_slug: "custom-webhook",
        data: '${jsonencode({"name" = "pager", "url" = "https://events.example.com/v2/enqueue", "method" = "PUT", "json_data" = {"summary" = "{{subject}}", "details" = "{{body}}", "routing_key" = "{{key}}"}, "headers" = {"X-Source" = "prefect"}, "timeout" = 5, "secrets" = {"key" = var.PAGER_KEY}})}',
      });
    });

    it("a custom-webhook block without secrets as a plain JSON document", () => {
      const stack = newStack();
      Block.customWebhook(stack, "hook", { name: "hook", webhookName: "Ops hook", url: "https://example.com", formData: { text: "{{body}}" } });
      expect(JSON.parse(blockJson(stack, "hook").data as string)).toEqual({ name: "Ops hook", url: "https://example.com", form_data: { text: "{{body}}" } });
    });

    it("a webhook block with a secret header", () => {
      const stack = newStack();
      Block.webhook(stack, "hook", { name: "hook", url: SecretValue.fromEnvironment("HOOK_URL"), method: "POST", headers: { Authorization: SecretValue.fromEnvironment("HOOK_AUTH"), "X-Team": "data" }, verify: true });
      expect(blockJson(stack, "hook").data).toBe('${jsonencode({"url" = var.HOOK_URL, "method" = "POST", "headers" = {"Authorization" = var.HOOK_AUTH, "X-Team" = "data"}, "verify" = true})}');
    });

    it("a block of any type, with a reference to another block document as a Terraform reference", () => {
      const stack = newStack();
      const aws = Block.of(stack, "aws", "aws-credentials", { name: "prod-aws", data: { aws_access_key_id: "AKIAEXAMPLE", aws_secret_access_key: SecretValue.fromEnvironment("AWS_SECRET"), region_name: "eu-west-1" } });
      Block.of(stack, "bucket", "s3-bucket", { name: "raw", data: { bucket_name: "raw", credentials: Block.reference(aws) } });
      expect(blockJson(stack, "bucket")).toEqual({
        name: "raw",
        type_slug: "s3-bucket",
        data: '${jsonencode({"bucket_name" = "raw", "credentials" = {"$ref" = {"block_document_id" = prefect_block.aws.id}}})}',
      });
    });

    it("no data attribute when no data is declared", () => {
      const stack = newStack();
      new Block(stack, "fs", { name: "fs", typeSlug: "local-file-system" });
      expect(blockJson(stack, "fs")).toEqual({ name: "fs", type_slug: "local-file-system" });
    });

    it("exposes its id and name as references, and its type slug", () => {
      const stack = newStack();
      const block = Block.of(stack, "fs", "local-file-system", { name: "fs", data: { basepath: "/tmp" } });
      new TerraformOutput(stack, "id", { value: block.blockDocumentId });
      new TerraformOutput(stack, "name", { value: block.blockName });
      expect(synth(stack).output).toEqual({ id: { value: "${prefect_block.fs.id}" }, name: { value: "${prefect_block.fs.name}" } });
      expect(block.typeSlug).toBe("local-file-system");
    });

    it("references blocks managed elsewhere by id, and by id, name and type", () => {
      const stack = newStack();
      const byId = Block.fromBlockId(stack, "ById", "0c6b1f9e-3c1a-4a8e-9f7d-2b5e8c4d1a90");
      expect(byId.blockDocumentId).toBe("0c6b1f9e-3c1a-4a8e-9f7d-2b5e8c4d1a90");
      expect(() => byId.blockName).toThrow(/test\/ById: the block was referenced by id only \(Block\.fromBlockId\), so its name is not known; use Block\.fromBlockAttributes/);
      expect(() => byId.typeSlug).toThrow(/so its type is not known/);
      const full = Block.fromBlockAttributes(stack, "Full", { blockDocumentId: "0c6b1f9e-3c1a-4a8e-9f7d-2b5e8c4d1a90", blockName: "oncall", typeSlug: "slack-webhook" });
      expect([full.blockName, full.typeSlug]).toEqual(["oncall", "slack-webhook"]);
      expect(synth(stack).resource?.prefect_block).toBeUndefined();
    });
  });

  describe("validates at synth", () => {
    it.each<[string, (stack: TerraformStack) => Block, RegExp]>([
      // The kind's rules.
      ["a name with capitals", (stack) => Block.secret(stack, "b", { name: "My Secret", value: SecretValue.unsafePlainText("x") }), /^name: "My Secret" is not a valid block name: use only lowercase letters, digits and dashes \(e\.g\. "my-secret"\)$/],
      ["an empty name", (stack) => Block.secret(stack, "b", { name: "", value: SecretValue.unsafePlainText("x") }), /^name: must not be empty/],
      ["a type slug that is not a slug", (stack) => Block.of(stack, "b", "AWS Credentials", { name: "b" }), /^typeSlug: "AWS Credentials" is not a block type slug/],
      ["a malformed reference to another block", (stack) => Block.of(stack, "b", "s3-bucket", { name: "b", data: { credentials: { $ref: { id: "x" } } } }), /^data\.credentials: is not valid \(the value is sensitive and not shown\)$/],
      // The secrets' rules.
      ["a variable that is not sensitive", (stack) => Block.secret(stack, "b", { name: "b", value: SecretValue.fromVariable(new TerraformVariable(stack, "token", { type: "string" })) }), /^the variable "token" holding a secret is not sensitive: declare it with \{ sensitive: true \}/],
      ["a variable with a default", (stack) => Block.secret(stack, "b", { name: "b", value: SecretValue.fromVariable(new TerraformVariable(stack, "token", { type: "string", sensitive: true, default: "x" })) }), /^the variable "token" holding a secret has a default, which is written in clear text into cdk\.tf\.json: remove the default and give the value with TF_VAR_token/],
      ["an environment name that is no variable name", (stack) => Block.secret(stack, "b", { name: "b", value: SecretValue.fromEnvironment("1PASSWORD") }), /^SecretValue\.fromEnvironment\("1PASSWORD"\): not a Terraform variable name; use letters, digits, underscores and dashes/],
      ["an environment name with the TF_VAR_ prefix", (stack) => Block.secret(stack, "b", { name: "b", value: SecretValue.fromEnvironment("TF_VAR_TOKEN") }), /^SecretValue\.fromEnvironment\("TF_VAR_TOKEN"\): not a Terraform variable name; drop the prefix: SecretValue\.fromEnvironment\("TOKEN"\) reads TF_VAR_TOKEN$/],
      ["an environment name taken by another construct of the stack", (stack) => Block.secret(stack, "b", { name: "b", value: SecretValue.fromEnvironment("prefect") }), /^SecretValue\.fromEnvironment\("prefect"\): the stack already has a construct with the id "prefect" \(test\/prefect\) that is not a variable/],
      // The typed helpers' rules.
      ["an unknown notify type", (stack) => Block.slackWebhook(stack, "b", { name: "b", url: SecretValue.unsafePlainText("x"), notifyType: "urgent" as never }), /^notifyType: "urgent" is not one of "info", "success", "warning", "failure"$/],
      ["an unknown custom webhook method", (stack) => Block.customWebhook(stack, "b", { name: "b", url: "https://x", method: "post" as never }), /^method: "post" is not one of "GET", "POST", "PUT", "PATCH", "DELETE"$/],
      ["an unknown webhook method", (stack) => Block.webhook(stack, "b", { name: "b", url: SecretValue.unsafePlainText("x"), method: "HEAD" as never }), /^method: "HEAD" is not one of/],
      ["both a JSON and a form payload", (stack) => Block.customWebhook(stack, "b", { name: "b", url: "https://x", jsonData: { a: 1 }, formData: { a: "1" } }), /^formData: conflicts with jsonData/],
      ["a timeout that is not above 0", (stack) => Block.customWebhook(stack, "b", { name: "b", url: "https://x", timeout: 0 }), /^timeout: is 0; give a number of seconds above 0$/],
    ])("refuses %s", (_name, build, message) => {
      const found = build(newStack()).node.validate();
      expect(found, found.join("\n")).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });

    it("reports every problem together, naming the construct path, without showing a secret", () => {
      const stack = newStack();
      const token = new TerraformVariable(stack, "token", { type: "string" });
      Block.customWebhook(stack, "hook", {
        name: "Hook",
        url: SecretValue.unsafePlainText(SECRET),
        method: "SEND" as never,
        secrets: { token: SecretValue.fromVariable(token), other: SecretValue.fromEnvironment("TF_VAR_X") },
      });
      let message = "";
      try {
        synthText(stack);
      } catch (error) {
        message = (error as Error).message;
      }
      const lines = message.split("\n").filter((line) => line.trim().startsWith("[test/hook]"));
      expect(lines.map((line) => line.trim().replace(/: .*/, ""))).toEqual(["[test/hook] method", '[test/hook] the variable "token" holding a secret is not sensitive', '[test/hook] SecretValue.fromEnvironment("TF_VAR_X")', "[test/hook] name"]);
      expect(message).not.toContain(SECRET);
    });
  });
});
