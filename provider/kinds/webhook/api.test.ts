import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { EXTERNAL_API_URL, useApiTarget } from "../../../test/support/target.js";
import { diffSpec } from "../compare.js";
import { parseSpec } from "../kind.js";
import { CLOCK_SKEW_MS, webhookKind as kind, webhookMadeBy, type Webhook } from "./api.js";
import type { WebhookSpec } from "./schema.js";

const TYPE = "prefect_webhook";
const CLOUD_URL = /\/api\/accounts\/[^/]+\/workspaces\/[^/]+\/?$/;
const notCloud =
  EXTERNAL_API_URL !== undefined && !CLOUD_URL.test(EXTERNAL_API_URL)
    ? "skipped: PREFECT_TEST_API_URL is not a Prefect Cloud workspace URL (.../api/accounts/<id>/workspaces/<id>), and only Prefect Cloud serves webhooks"
    : undefined;

/** A template producing one event, as `jsonencode(...)` would write it. */
const staticTemplate = (resourceId: string) => JSON.stringify({ event: "order.created", resource: { "prefect.resource.id": resourceId } });

describe.skipIf(notCloud !== undefined)(notCloud ? `${TYPE} (${notCloud})` : TYPE, () => {
  const target = useApiTarget({ cloud: true });

  it("passes the lifecycle: create, read, no changes, update, delete", async () => {
    await runLifecycle(kind, {
      ctx: target.context(),
      create: { name: target.name("hook-lifecycle"), template: staticTemplate("shop.order") },
      update: {
        name: target.name("hook-renamed"),
        description: "Orders from the shop",
        enabled: false,
        template: '{"event": "order.{{ body.status }}", "resource": {"prefect.resource.id": "shop.order.{{ body.id }}"}}',
      },
    });
  });

  it("compares the template as the exact string, not as the JSON it may hold", async () => {
    const ctx = target.context();
    const template = staticTemplate("shop.exact");
    const spec = declare(kind, { name: target.name("hook-exact"), template });
    const created = await kind.create(ctx, spec);
    try {
      const live = (await kind.read(ctx, created.id))!;
      expectNoChanges(kind, spec, live);
      const reformatted = declare(kind, { name: spec.name, template: JSON.stringify(JSON.parse(template), null, 2) });
      expect(diffSpec(kind, reformatted, kind.toSpec(live))).toEqual([expect.objectContaining({ path: ["template"], before: template, forceNew: false })]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("round-trips a Jinja template byte for byte: newlines, unicode, whitespace control, trailing spaces", async () => {
    const ctx = target.context();
    const template = '{%- set kind = body.kind | default("ünknown") -%}\n{\n  "event": "shop.{{ kind }}",  \n  "resource": {"prefect.resource.id": "shop.{{ body.id }}"}\n}\n\n';
    const spec = declare(kind, { name: target.name("hook-jinja"), template });
    const created = await kind.create(ctx, spec);
    try {
      const live = (await kind.read(ctx, created.id))!;
      expect(live.template).toBe(template);
      expectNoChanges(kind, spec, live);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("computes endpoint as the public URL of the webhook, which accepts requests", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("hook-endpoint"), template: staticTemplate("shop.endpoint") });
    const created = await kind.create(ctx, spec);
    try {
      expect(created.endpoint).toBe(`${new URL(target.url).origin}/hooks/${created.slug}`);
      expect(kind.toSpec((await kind.read(ctx, created.id))!).endpoint).toBe(created.endpoint);
      const response = await fetch(created.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(response.status).toBe(204);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("reads back the account and workspace it lives in, so declaring them is no change", async () => {
    const ctx = target.context();
    const cloud = target.client.settings.cloud!;
    const spec = declare(kind, { name: target.name("hook-scope"), template: "{}", account_id: cloud.accountId, workspace_id: cloud.workspaceId });
    const created = await kind.create(ctx, spec);
    try {
      expectNoChanges(kind, spec, (await kind.read(ctx, created.id))!);
      const elsewhere = declare(kind, { name: spec.name, template: "{}", workspace_id: randomUUID() });
      expect(diffSpec(kind, elsewhere, kind.toSpec(created))).toEqual([expect.objectContaining({ path: ["workspace_id"], forceNew: true })]);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it.skipIf(EXTERNAL_API_URL !== undefined)(
    "returns the webhook a create made when the connection drops before the answer, not a duplicate nor an identical older one",
    async () => {
      const ctx = target.context();
      const spec = declare(kind, { name: target.name("hook-dropped"), template: staticTemplate("shop.dropped") });
      const twin = await kind.create(ctx, spec);
      target.server!.setFaults({ rules: [{ type: "drop", ratio: 1, phase: "after", route: "POST /webhooks/" }] });
      let created: Webhook;
      try {
        created = await kind.create(ctx, spec);
      } finally {
        target.server!.clearFaults();
      }
      expect(target.server!.injectedFaults().drop).toBeGreaterThan(0);
      const named = (await kind.list(ctx)).filter((hook) => hook.name === spec.name);
      expect(named.map((hook) => hook.id).sort()).toEqual([twin.id, created.id].sort());
      expect(created.id).not.toBe(twin.id);
      await kind.delete(ctx, twin.id);
      await kind.delete(ctx, created.id);
    },
  );

  it("has no natural key: identity and find give nothing, list gives every webhook", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("hook-keyless"), template: "{}" });
    const created = await kind.create(ctx, spec);
    try {
      expect(kind.identity(spec)).toBeUndefined();
      expect(kind.identityOf(created)).toBeUndefined();
      expect(await kind.find(ctx, spec)).toBeUndefined();
      expect((await kind.list(ctx)).map((hook) => hook.id)).toContain(created.id);
    } finally {
      await kind.delete(ctx, created.id);
    }
  });

  it("reads a deleted webhook as undefined and deletes it again without error", async () => {
    const ctx = target.context();
    const created = await kind.create(ctx, declare(kind, { name: target.name("hook-gone"), template: "{}" }));
    await kind.delete(ctx, created.id);
    expect(await kind.read(ctx, created.id)).toBeUndefined();
    await expect(kind.delete(ctx, created.id)).resolves.toBeUndefined();
  });
});

describe(`${TYPE} declarations and create recovery (no server)`, () => {
  const spec = declare(kind, { name: "orders", template: "{}" }) as WebhookSpec;
  const startedAt = Date.parse("2026-01-01T12:00:00Z");
  const hook = (id: string, created: string | null, changes: Partial<Webhook> = {}): Webhook => ({
    id,
    created,
    updated: created,
    name: "orders",
    description: "",
    enabled: true,
    template: "{}",
    service_account_id: null,
    slug: `slug-${id}`,
    endpoint: `https://api.prefect.cloud/hooks/slug-${id}`,
    ...changes,
  });
  const after = "2026-01-01T12:00:01Z";

  it.each([
    ["the one created after the create began", [hook("new", after)], new Set<string>(), "new"],
    ["none when the only match was known before", [hook("old", after)], new Set(["old"]), undefined],
    ["none when the template differs", [hook("other", after, { template: "{ }" })], new Set<string>(), undefined],
    ["none when enabled or description differ", [hook("a", after, { enabled: false }), hook("b", after, { description: "x" })], new Set<string>(), undefined],
    ["none when it was created before the create began, beyond clock skew", [hook("stale", new Date(startedAt - CLOCK_SKEW_MS - 1000).toISOString())], new Set<string>(), undefined],
    ["one created a little before, within clock skew", [hook("skewed", new Date(startedAt - 1000).toISOString())], new Set<string>(), "skewed"],
    ["one without a creation time, when not known before", [hook("untimed", null)], new Set<string>(), "untimed"],
    ["the earliest of several", [hook("second", "2026-01-01T12:00:05Z"), hook("first", after)], new Set<string>(), "first"],
  ])("recognises as made by a create: %s", (_label, candidates, known, expected) => {
    expect(webhookMadeBy({ spec, known, startedAt }, candidates)?.id).toBe(expected);
  });

  it("fills the official defaults: enabled, empty description", () => {
    expect(spec).toMatchObject({ enabled: true, description: "" });
    expect(spec.service_account_id).toBeUndefined();
    expect(kind.cloudOnly).toBe(true);
  });

  it.each([
    [{ name: "", template: "{}" }, "name", /must not be empty/],
    [{ name: "x" }, "template", /is required/],
    [{ name: "x", template: "" }, "template", /is empty: a webhook template renders the event/],
    [{ name: "x", template: "order created" }, "template", /has no Jinja markup, so every request renders it unchanged, and it is not JSON/],
    [{ name: "x", template: "{% for x in body %}{{ x }}" }, "template", /never closes it with \{% endfor %\}/],
    [{ name: "x", template: { event: "a" } }, "template", /must be a string, got an object/],
    [{ name: "x", template: "{}", service_account_id: "robot" }, "service_account_id", /must be a UUID/],
    [{ name: "x", template: "{}", endpoint: "https://example.com/hooks/x" }, "endpoint", /is set by Prefect and cannot be declared/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

});
