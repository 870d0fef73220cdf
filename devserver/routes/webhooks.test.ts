import { describe, expect, it } from "vitest";
import { rawApi } from "../../test/support/http.js";
import { useDevServer } from "../../test/support/devserver.js";
import { DEFAULT_ACCOUNT_ID, DEFAULT_WORKSPACE_ID } from "../index.js";

interface Webhook {
  id: string;
  name: string;
  slug: string;
  enabled: boolean;
  template: string;
  description: string;
  service_account_id: string | null;
  account?: string;
  workspace?: string;
  updated: string;
}
interface RecordedEvent {
  id: string;
  event: string;
  occurred: string;
  received: string;
  resource: Record<string, string>;
  related: Record<string, string>[];
  payload: Record<string, unknown>;
}

const WORKSPACE_KEY = `${DEFAULT_ACCOUNT_ID}/${DEFAULT_WORKSPACE_ID}`;

/** A template producing one event whose resource id is unique to the test, so tests sharing a server do not see each other's events. */
function staticTemplate(resourceId: string, event = "model.refreshed"): string {
  return JSON.stringify({ event, resource: { "prefect.resource.id": resourceId } });
}

describe("webhooks", () => {
  const ctx = useDevServer();
  const cloud = () => rawApi(ctx.server.cloudUrl());
  const hooks = () => rawApi(ctx.server.origin);

  async function createHook(body: Record<string, unknown>): Promise<Webhook> {
    const response = await cloud().post<Webhook>("/webhooks/", body);
    expect(response.status).toBe(201);
    return response.body;
  }

  /** Events recorded in the default Cloud workspace for one resource (the primary resource or the webhook's). */
  async function eventsFor(resourceId: string): Promise<RecordedEvent[]> {
    const response = await rawApi(ctx.server.origin).get<RecordedEvent[]>(`/_devserver/events?workspace=${encodeURIComponent(WORKSPACE_KEY)}`);
    return response.body.filter((event) => event.resource["prefect.resource.id"] === resourceId);
  }

  describe("management API", () => {
    it("creates, reads, replaces and deletes a webhook, keeping its slug", async () => {
      const hook = await createHook({ name: "models", template: staticTemplate("product.models.crud") });
      expect(hook).toMatchObject({
        name: "models",
        description: "",
        enabled: true,
        service_account_id: null,
        account: DEFAULT_ACCOUNT_ID,
        workspace: DEFAULT_WORKSPACE_ID,
      });
      expect(hook.slug).toMatch(/^[A-Za-z0-9_-]{22}$/);

      expect(await cloud().get(`/webhooks/${hook.id}`)).toMatchObject({ status: 200, body: hook });

      const replaced = await cloud().put(`/webhooks/${hook.id}`, { name: "models-v2", template: staticTemplate("product.models.v2"), enabled: false });
      expect(replaced.status).toBe(204);
      const read = await cloud().get<Webhook>(`/webhooks/${hook.id}`);
      expect(read.body).toMatchObject({ id: hook.id, slug: hook.slug, name: "models-v2", enabled: false, description: "", template: staticTemplate("product.models.v2") });

      expect((await cloud().delete(`/webhooks/${hook.id}`)).status).toBe(204);
      expect(await cloud().get(`/webhooks/${hook.id}`)).toMatchObject({ status: 404, body: { detail: "Webhook not found." } });
      expect(await cloud().delete(`/webhooks/${hook.id}`)).toMatchObject({ status: 404, body: { detail: "Webhook not found." } });
    });

    it("does not exist on the open-source server's paths", async () => {
      const oss = rawApi(ctx.server.url);
      expect(await oss.post("/webhooks/", { name: "x", template: "{}" })).toMatchObject({ status: 404, body: { detail: "Not Found" } });
      expect(await oss.post("/webhooks/filter", {})).toMatchObject({ status: 404, body: { detail: "Not Found" } });
      expect((await oss.get("/webhooks/6a1a4b1e-0000-4000-8000-000000000000")).status).toBe(404);
    });

    it("gives every webhook its own random URL-safe slug, across workspaces", async () => {
      const other = rawApi(ctx.server.cloudUrl("11111111-2222-4333-8444-555555555555", "66666666-7777-4888-8999-000000000000"));
      const slugs = new Set<string>();
      for (let index = 0; index < 10; index++) {
        slugs.add((await createHook({ name: `same-${index}`, template: "{}" })).slug);
        const created = await other.post<Webhook>("/webhooks/", { name: `same-${index}`, template: "{}" });
        slugs.add(created.body.slug);
      }
      expect(slugs.size).toBe(20);
    });

    it("filters webhooks by name, in name order, with offset and limit", async () => {
      for (const name of ["filter-c", "filter-a", "filter-b"]) await createHook({ name, template: "{}" });
      const names = { webhooks: { name: { any_: ["filter-a", "filter-b", "filter-c"] } } };
      const all = await cloud().post<Webhook[]>("/webhooks/filter", names);
      expect(all.body.map((hook) => hook.name)).toEqual(["filter-a", "filter-b", "filter-c"]);
      const second = await cloud().post<Webhook[]>("/webhooks/filter", { ...names, offset: 1, limit: 1 });
      expect(second.body.map((hook) => hook.name)).toEqual(["filter-b"]);
    });

    it("refuses a template that is not Jinja2 with a 422 naming template, but accepts one that only renders JSON at request time", async () => {
      const refused = await cloud().post<{ exception_detail: { loc: unknown[]; msg: string }[] }>("/webhooks/", { name: "broken", template: '{"event": "{{ body.x "}' });
      expect(refused.status).toBe(422);
      expect(refused.body.exception_detail[0]?.loc).toEqual(["body", "template"]);
      expect(refused.body.exception_detail[0]?.msg).toContain("'template' is not a valid template");

      const cloudEvents = await createHook({ name: "cloudevents", template: "{{ body|from_cloud_event(headers) }}" });
      const update = await cloud().put(`/webhooks/${cloudEvents.id}`, { name: "cloudevents", template: "{% for x in y %}" });
      expect(update.status).toBe(422);
    });

    it("toggles a webhook with PATCH and rotates its slug, after which the old URL is gone", async () => {
      const hook = await createHook({ name: "rotating", template: staticTemplate("product.models.rotate") });
      expect((await cloud().patch(`/webhooks/${hook.id}`, { enabled: false })).status).toBe(204);
      expect((await cloud().get<Webhook>(`/webhooks/${hook.id}`)).body).toMatchObject({ enabled: false, name: "rotating" });
      expect((await cloud().patch(`/webhooks/${hook.id}`, { enabled: "sometimes" })).status).toBe(422);
      await cloud().patch(`/webhooks/${hook.id}`, { enabled: true });

      const rotated = await cloud().post<Webhook>(`/webhooks/${hook.id}/rotate`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.slug).not.toBe(hook.slug);
      expect((await hooks().request("POST", `/hooks/${hook.slug}`)).status).toBe(404);
      expect((await hooks().request("POST", `/hooks/${rotated.body.slug}`)).status).toBe(204);
    });
  });

  describe("the /hooks/{slug} endpoint", () => {
    it("renders the template from a JSON body and records the event, with the webhook related and the request as payload", async () => {
      const hook = await createHook({
        name: "json",
        template: '{"event": "model.refreshed", "resource": {"prefect.resource.id": "product.models.{{ body.model }}", "prefect.resource.name": "{{ body.friendly_name|default(body.model) }}"}}',
      });
      const response = await hooks().request("POST", `/hooks/${hook.slug}`, { model: "json-recs" });
      expect(response.status).toBe(204);
      expect(response.body).toBeUndefined();

      const [event, ...others] = await eventsFor("product.models.json-recs");
      expect(others).toEqual([]);
      expect(event).toMatchObject({
        event: "model.refreshed",
        resource: { "prefect.resource.id": "product.models.json-recs", "prefect.resource.name": "json-recs" },
        related: [{ "prefect.resource.id": `prefect-cloud.webhook.${hook.id}`, "prefect.resource.name": "json", "prefect.resource.role": "webhook" }],
        payload: { method: "POST", body: '{"model":"json-recs"}' },
      });
      expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(event?.occurred).toBe(event?.received);
    });

    it("passes a JSON event through with tojson and keeps the id, time and payload it gives", async () => {
      const hook = await createHook({ name: "pass-through", template: "{{ body|tojson }}" });
      const sent = {
        id: "0c4f3a8e-1d2b-4c5d-8e9f-0a1b2c3d4e5f",
        occurred: "2024-05-06T07:08:09Z",
        event: "passed.through",
        resource: { "prefect.resource.id": "product.pass-through", "label": "<&'>" },
        payload: { size: 3 },
      };
      expect((await hooks().request("POST", `/hooks/${hook.slug}`, sent)).status).toBe(204);
      const [event] = await eventsFor("product.pass-through");
      expect(event).toMatchObject({ id: sent.id, occurred: "2024-05-06T07:08:09.000000Z", payload: { size: 3 }, resource: sent.resource });
    });

    it("renders the template from a form body as a flat dictionary", async () => {
      const hook = await createHook({
        name: "form",
        template: '{"event": "model.refreshed", "resource": {"prefect.resource.id": "product.models.{{ body.model }}", "prefect.resource.name": "{{ body[\'friendly_name\'] }}"}}',
      });
      const response = await hooks().request("POST", `/hooks/${hook.slug}`, "model=form-recs&friendly_name=Recommendations%20%5BProducts%5D", {
        "content-type": "application/x-www-form-urlencoded",
      });
      expect(response.status).toBe(204);
      const [event] = await eventsFor("product.models.form-recs");
      expect(event?.resource["prefect.resource.name"]).toBe("Recommendations [Products]");
    });

    it("gives the template the headers in any case, without Authorization, and the method", async () => {
      const hook = await createHook({
        name: "headers",
        template:
          '{"event": "headers.{{ method }}", "resource": {"prefect.resource.id": "product.headers", "team": "{{ headers[\'X-Team\'] }}", "same": "{{ headers[\'x-team\'] }}", "auth": "{{ headers.authorization }}{{ headers[\'Authorization\'] }}"}}',
      });
      const response = await hooks().request("PUT", `/hooks/${hook.slug}`, "{}", { "X-Team": "data-science", authorization: "Bearer secret-key" });
      expect(response.status).toBe(204);
      const [event] = await eventsFor("product.headers");
      expect(event).toMatchObject({ event: "headers.PUT", resource: { team: "data-science", same: "data-science", auth: "" } });
      expect(JSON.stringify(event)).not.toContain("secret-key");
    });

    it("renders Jinja2 the way Prefect does: Python values, loops, chained missing values, humanize filters", async () => {
      const hook = await createHook({
        name: "jinja",
        template: JSON.stringify({
          event: "jinja.rendered",
          resource: { "prefect.resource.id": "product.jinja" },
          payload: {
            list: "{{ body.tags }}",
            flag: "{{ body.flag }}",
            loop: "{% for tag in body.tags %}{{ loop.index }}{{ tag }}{% endfor %}",
            missing: "{{ body.nothing.deeper|default('none') }}",
            count: "{{ body.n|humanize_intcomma }}",
            formatted: "{{ '%s=%05.1f'|format('pi', 3.14159) }}",
          },
        }),
      });
      expect((await hooks().request("POST", `/hooks/${hook.slug}`, { tags: ["a", "b"], flag: true, n: 1234567 })).status).toBe(204);
      const [event] = await eventsFor("product.jinja");
      expect(event?.payload).toEqual({ list: "['a', 'b']", flag: "True", loop: "1a2b", missing: "none", count: "1,234,567", formatted: "pi=003.1" });
    });

    it("refuses a template that reaches outside the request's data, as Jinja2's sandbox does", async () => {
      const hook = await createHook({ name: "escape", template: '{"event": "{{ \'\'.constructor.constructor(\'return 1\')() }}", "resource": {"prefect.resource.id": "product.escape"}}' });
      const response = await hooks().request<{ detail: string }>("POST", `/hooks/${hook.slug}`);
      expect(response.status).toBe(400);
      expect(response.body.detail).toContain("access to attribute 'constructor' of 'str' object is unsafe");
    });

    it("accepts the methods Cloud accepts, GET without a body included, and refuses others", async () => {
      const hook = await createHook({ name: "methods", template: staticTemplate("product.methods") });
      for (const method of ["GET", "HEAD", "DELETE", "POST", "PUT", "PATCH"]) {
        expect((await hooks().request(method, `/hooks/${hook.slug}`)).status, method).toBe(204);
      }
      expect((await hooks().request("OPTIONS", `/hooks/${hook.slug}`)).status).toBe(405);
      expect((await eventsFor("product.methods")).length).toBe(6);
    });

    it.each([
      ["a template error", '{"event": "{{ body.items|tojson }}{{ body.missing|tojson }}", "resource": {"prefect.resource.id": "x"}}', "not JSON serializable"],
      ["a render that is not JSON", "model {{ body.model }} refreshed", "did not render valid JSON"],
      ["an event without a resource id", '{"event": "e", "resource": {"name": "x"}}', "prefect.resource.id"],
      ["a resource label that is not a string", '{"event": "e", "resource": {"prefect.resource.id": "x", "count": 3}}', "resource.count"],
    ])("answers 400 for %s and records only a prefect-cloud.webhook.failed event", async (_case, template, reason) => {
      const hook = await createHook({ name: "failing", template });
      const response = await hooks().request<{ detail: string }>("POST", `/hooks/${hook.slug}`, { model: "m" });
      expect(response.status).toBe(400);
      expect(response.body.detail).toContain(reason);

      const webhookId = `prefect-cloud.webhook.${hook.id}`;
      const recorded = await eventsFor(webhookId);
      expect(recorded.map((event) => event.event)).toEqual(["prefect-cloud.webhook.failed"]);
      expect(recorded[0]?.payload).toMatchObject({ method: "POST", error: response.body.detail });
      const all = await rawApi(ctx.server.origin).get<RecordedEvent[]>(`/_devserver/events?workspace=${encodeURIComponent(WORKSPACE_KEY)}`);
      expect(all.body.filter((event) => event.related.some((related) => related["prefect.resource.id"] === webhookId))).toEqual([]);
    });

    it("answers 404 for an unknown slug and for a disabled webhook, recording nothing", async () => {
      expect(await hooks().request("POST", "/hooks/no-such-slug")).toMatchObject({ status: 404, body: { detail: "Not Found" } });
      const hook = await createHook({ name: "disabled", template: staticTemplate("product.disabled"), enabled: false });
      expect((await hooks().request("POST", `/hooks/${hook.slug}`)).status).toBe(404);
      expect(await eventsFor("product.disabled")).toEqual([]);
      expect(await eventsFor(`prefect-cloud.webhook.${hook.id}`)).toEqual([]);
    });

    it("requires a bearer token when the webhook has a service account", async () => {
      const hook = await createHook({ name: "secured", template: staticTemplate("product.secured"), service_account_id: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d" });
      expect((await hooks().request("POST", `/hooks/${hook.slug}`)).status).toBe(401);
      expect((await hooks().request("POST", `/hooks/${hook.slug}`, undefined, { authorization: "Bearer " })).status).toBe(401);
      expect(await eventsFor("product.secured")).toEqual([]);
      expect((await hooks().request("POST", `/hooks/${hook.slug}`, undefined, { authorization: "Bearer pnu_service_key" })).status).toBe(204);
      expect((await eventsFor("product.secured")).length).toBe(1);
    });

    it("answers Azure Event Grid's subscription validation with its code instead of recording an event", async () => {
      const hook = await createHook({ name: "event-grid", template: staticTemplate("product.event-grid") });
      const validation = [{ id: "1", eventType: "Microsoft.EventGrid.SubscriptionValidationEvent", data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" } }];
      const response = await hooks().request("POST", `/hooks/${hook.slug}`, validation, { "aeg-event-type": "SubscriptionValidation" });
      expect(response).toMatchObject({ status: 200, body: { validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" } });
      expect(await eventsFor("product.event-grid")).toEqual([]);
    });
  });

  describe("reading events", () => {
    it("returns recorded events from /events/filter, newest first, filtered by name and paged", async () => {
      const hook = await createHook({ name: "feed", template: '{"event": "feed.{{ body.n }}", "resource": {"prefect.resource.id": "product.feed"}}' });
      for (const n of [1, 2, 3]) expect((await hooks().request("POST", `/hooks/${hook.slug}`, { n })).status).toBe(204);

      const page = await cloud().post<{ events: RecordedEvent[]; total: number; next_page: string | null }>("/events/filter", {
        filter: { event: { prefix: ["feed."] }, any_resource: { id: ["product.feed"] } },
        limit: 2,
      });
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(3);
      expect(page.body.events.map((event) => event.event)).toEqual(["feed.3", "feed.2"]);
      expect(page.body.next_page).toMatch(/\/events\/filter\/next\?page-token=/);

      const next = await fetch(page.body.next_page ?? "");
      expect(next.status).toBe(200);
      const rest = (await next.json()) as { events: RecordedEvent[]; next_page: string | null };
      expect(rest.events.map((event) => event.event)).toEqual(["feed.1"]);
      expect(rest.next_page).toBeNull();

      const named = await cloud().post<{ events: RecordedEvent[] }>("/events/filter", {
        filter: { event: { name: ["feed.2"] }, related: { id: [`prefect-cloud.webhook.${hook.id}`], role: ["webhook"] }, order: "ASC" },
      });
      expect(named.body.events.map((event) => event.event)).toEqual(["feed.2"]);

      const other = await rawApi(ctx.server.url).post<{ total: number }>("/events/filter", { filter: { event: { prefix: ["feed."] } } });
      expect(other.body.total).toBe(0);
    });

    it("refuses a next-page token it did not issue", async () => {
      expect((await cloud().get("/events/filter/next?page-token=bm90LWEtdG9rZW4=")).status).toBe(403);
      expect((await cloud().get("/events/filter/next")).status).toBe(422);
    });
  });
});
