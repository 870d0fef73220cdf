import { describe, expect, it } from "vitest";
import { TerraformOutput, TerraformVariable, Testing, type TerraformStack } from "../../cdk.js";
import { newStack, synth as synthJson } from "../../constructs/synth.testing.js";
import { Webhook } from "./construct.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const synth = (stack: TerraformStack): Json => synthJson(stack) as Json;
const SERVICE_ACCOUNT = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

describe("Webhook", () => {
  describe("synthesizes", () => {
    it("a template given as an object as its JSON text, Jinja strings kept", () => {
      const stack = newStack();
      new Webhook(stack, "orders", {
        name: "shop orders",
        description: "Orders from the shop",
        enabled: false,
        serviceAccountId: SERVICE_ACCOUNT,
        template: { event: "shop.order.created", resource: { "prefect.resource.id": "shop.order.{{ body.id }}" } },
      });
      expect(synth(stack).resource.prefect_webhook.orders).toEqual({
        name: "shop orders",
        description: "Orders from the shop",
        enabled: false,
        service_account_id: SERVICE_ACCOUNT,
        template: '{"event":"shop.order.created","resource":{"prefect.resource.id":"shop.order.{{ body.id }}"}}',
      });
    });

    it("a template given as a string as it is", () => {
      const stack = newStack();
      const template = '{ "event": "ping", "resource": { "prefect.resource.id": "hook.{{ headers[\'x-source\'] }}" }, "payload": {{ body | tojson }} }';
      new Webhook(stack, "ping", { name: "ping", template });
      expect(synth(stack).resource.prefect_webhook.ping).toEqual({ name: "ping", template });
    });

    it("a template object holding references with jsonencode", () => {
      const stack = newStack();
      const shop = new TerraformVariable(stack, "shop", { type: "string" });
      new Webhook(stack, "orders", { name: "orders", template: { event: "shop.order", resource: { "prefect.resource.id": `shop.${shop.stringValue}` } } });
      expect(synth(stack).resource.prefect_webhook.orders.template).toBe('${jsonencode({"event" = "shop.order", "resource" = {"prefect.resource.id" = "shop.${var.shop}"}})}');
    });

    it("exposes its endpoint, id and name as references", () => {
      const stack = newStack();
      const hook = new Webhook(stack, "orders", { name: "orders", template: { event: "x", resource: { "prefect.resource.id": "y" } } });
      new TerraformOutput(stack, "url", { value: hook.endpoint });
      new TerraformOutput(stack, "id", { value: hook.webhookId });
      new TerraformOutput(stack, "name", { value: hook.webhookName });
      expect(synth(stack).output).toEqual({
        url: { value: "${prefect_webhook.orders.endpoint}" },
        id: { value: "${prefect_webhook.orders.id}" },
        name: { value: "${prefect_webhook.orders.name}" },
      });
    });
  });

  describe("validates at synth", () => {
    it.each<[string, ConstructorParameters<typeof Webhook>[2], RegExp]>([
      ["an empty name", { name: "", template: { event: "x" } }, /^name: must not be empty: Prefect Cloud requires a webhook name$/],
      ["a template with a tag never closed", { name: "w", template: '{"event": "{{ body.kind"}' }, /^template: opens "\{\{ body\.kind\\"\}" at line 1, column 12 and never closes it with "\}\}"/],
      ["a template without markup that is not JSON", { name: "w", template: "event: x" }, /^template: "event: x" has no Jinja markup, so every request renders it unchanged, and it is not JSON/],
      ["a service account id that is not a UUID", { name: "w", template: { event: "x" }, serviceAccountId: "robot" }, /^serviceAccountId: must be a UUID/],
    ])("refuses %s", (_name, props, message) => {
      const found = new Webhook(newStack(), "w", props).node.validate();
      expect(found, found.join("\n")).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });

    it("accepts a template holding references, which the engine checks once their values are known", () => {
      const stack = newStack();
      const template = new TerraformVariable(stack, "template", { type: "string" });
      expect(new Webhook(stack, "w", { name: "w", template: template.stringValue }).node.validate()).toEqual([]);
    });

    it("reports every problem together, naming the construct path", () => {
      const stack = newStack();
      new Webhook(stack, "w", { name: "", template: "{{ unclosed", serviceAccountId: "robot" });
      expect(() => Testing.synth(stack, true)).toThrow(/\[test\/w\] name: [^\n]*\n\s+\[test\/w\] template: [^\n]*\n\s+\[test\/w\] serviceAccountId: must be a UUID/);
    });
  });
});
