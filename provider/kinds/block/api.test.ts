import { describe, expect, it } from "vitest";
import { recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges, runLifecycle } from "../../../test/support/kind-lifecycle.js";
import { EXTERNAL_API_URL, useApiTarget, type ApiTarget } from "../../../test/support/target.js";
import type { components } from "../../../contract/wire.gen.js";
import { diffSpec, withRecordedValues, type AttributeChange } from "../compare.js";
import { attributeFactsOf, parseSpec, type KindContext } from "../kind.js";
import { createKindContext } from "../runtime.js";
import { blockKind as kind, type Block } from "./api.js";
import { CATALOG_KEY, resolveBlockType } from "./catalog.js";
import { BlockDataError, UnknownBlockTypeError } from "./errors.js";
import type { BlockSpec } from "./schema.js";
import { recordedAnswer } from "../../../test/support/recordings.js";

const TYPE = "prefect_block";

/** Distinctive secrets: not even a piece of one may show up in an error or a masked change. */
const MARK = "s3cr3t";
const SECRET = `${MARK}-BLOCK-value-7f1d2c`;
const OTHER_SECRET = `${MARK}-BLOCK-rotated-91ab0e`;

type Raw = Record<string, unknown>;

/** The changes as a plan shows them: sensitive values masked. */
const masked = (changes: AttributeChange[]) =>
  changes.map((change) => ({ ...change, before: change.sensitive ? "(sensitive value)" : change.before, after: change.sensitive ? "(sensitive value)" : change.after }));

function expectNoSecret(text: string): void {
  // A parser quoting its input cuts it short ("s3cr3t-BLO"...): look for the mark, not the whole secret.
  expect(text).not.toContain(MARK);
}

/** Every message an error carries, its causes' included. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) parts.push(current.message, JSON.stringify(current));
  return parts.join("\n");
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the operation to fail");
}

/** Create a block, run `use`, and delete it whatever happens. */
async function withBlock<T>(ctx: KindContext, raw: Raw, use: (live: Block, spec: BlockSpec) => Promise<T>): Promise<T> {
  const spec = declare(kind, raw);
  const live = await kind.create(ctx, spec);
  try {
    return await use(live, spec);
  } finally {
    await kind.delete(ctx, live.id);
  }
}

async function documentsNamed(target: ApiTarget, name: string): Promise<{ id: string }[]> {
  return target.client.query<{ id: string }[]>("/block_documents/filter", { block_documents: { operator: "and_", name: { any_: [name] } } });
}

type BlockTypeCreate = components["schemas"]["BlockTypeCreate"];

/** A block type of our own, to give references and schema versions something to work on. */
async function registerType(target: ApiTarget, slug: string): Promise<{ id: string; addSchema(fields: Raw, version: string): Promise<{ id: string }>; remove(): Promise<void> }> {
  const body: BlockTypeCreate = { name: `Gitops Test ${slug}`, slug };
  const type = await target.client.post<{ id: string }>("/block_types/", body);
  return {
    id: type.id,
    addSchema: (fields, version) => target.client.post<{ id: string }>("/block_schemas/", { fields, block_type_id: type.id, capabilities: [], version }),
    remove: async () => {
      await target.client.delete(`/block_types/${type.id}`);
    },
  };
}

/** A database-credentials-like schema: host, an optional port, and a password held by a Secret block. */
const credentialsFields = (slug: string, withPort: boolean): Raw => ({
  title: "GitopsTestCredentials",
  type: "object",
  block_type_slug: slug,
  properties: {
    host: { title: "Host", type: "string" },
    ...(withPort ? { port: { title: "Port", type: "integer" } } : {}),
    password: { title: "Password", allOf: [{ $ref: "#/definitions/Secret" }] },
  },
  required: withPort ? ["host", "port"] : ["host"],
  secret_fields: ["password.value"],
  block_schema_references: { password: { block_type_slug: "secret", block_schema_checksum: "sha256:f290d6bec2665ff8179b4b88a1ba1942bc93b228504da8b65ce66e8aa70d6159" } },
  definitions: { Secret: { title: "Secret", type: "object", properties: { value: { title: "Value", type: "string" } } } },
});

describe(TYPE, () => {
  const target = useApiTarget();

  describe("lifecycle: create, read, no changes, update, read, delete", () => {
    it("passes for a secret block, its value rotated", async () => {
      await runLifecycle(kind, {
        ctx: target.context(),
        create: { name: target.name("lc-secret"), type_slug: "secret", data: { value: SECRET } },
        update: { name: target.name("lc-secret"), type_slug: "secret", data: { value: OTHER_SECRET } },
      });
    });

    it("passes for a slack-webhook declared with jsonencode(...) text", async () => {
      const name = target.name("lc-slack");
      await runLifecycle(kind, {
        ctx: target.context(),
        create: { name, type_slug: "slack-webhook", data: JSON.stringify({ url: `https://hooks.slack.com/services/T0/B0/${SECRET}` }) },
        update: { name, type_slug: "slack-webhook", data: JSON.stringify({ notify_type: "failure", url: `https://hooks.slack.com/services/T0/B0/${OTHER_SECRET}` }) },
      });
    });

    it("passes for a custom-webhook whose update drops a key and rotates a templated secret", async () => {
      const name = target.name("lc-custom");
      await runLifecycle(kind, {
        ctx: target.context(),
        create: {
          name,
          type_slug: "custom-webhook",
          data: { name: "ops", url: "https://example.com/hook", method: "POST", json_data: { text: "{{subject}}", token: "{{token}}" }, secrets: { token: SECRET } },
        },
        update: {
          name,
          type_slug: "custom-webhook",
          data: { name: "ops", url: "https://example.com/hook", form_data: { text: "{{body}}" }, headers: { "x-team": "data" }, timeout: 2.5, secrets: { token: OTHER_SECRET } },
        },
      });
    });

    it("passes for aws-credentials with nested client parameters", async () => {
      const name = target.name("lc-aws");
      await runLifecycle(kind, {
        ctx: target.context(),
        create: { name, type_slug: "aws-credentials", data: { aws_access_key_id: "AKIAEXAMPLE", aws_secret_access_key: SECRET, region_name: "eu-west-1" } },
        update: {
          name,
          type_slug: "aws-credentials",
          data: { aws_access_key_id: "AKIAEXAMPLE", aws_secret_access_key: SECRET, aws_client_parameters: { use_ssl: true, endpoint_url: "http://minio:9000", config: {} } },
        },
      });
    });
  });

  it("replaces the whole document on update: a key no longer declared is gone", async () => {
    const ctx = target.context();
    const name = target.name("replace");
    await withBlock(ctx, { name, type_slug: "custom-webhook", data: { name: "a", url: "https://example.com", json_data: { k: 1 } } }, async (live, spec) => {
      const next = declare(kind, { name, type_slug: "custom-webhook", data: { name: "a", url: "https://example.com" } });
      const changes = diffSpec(kind, next, kind.toSpec(live));
      expect(changes.map((change) => change.path)).toEqual([["data"]]);
      const updated = await kind.update(ctx, live.id, next, live, ["data"]);
      expect(updated.data).not.toHaveProperty("json_data");
      expectNoChanges(kind, next, updated);
      expect(diffSpec(kind, spec, kind.toSpec(updated)).map((change) => change.path)).toEqual([["data"]]);
    });
  });

  it("compares data as a JSON document: key order and the text form do not matter, a value does", async () => {
    const ctx = target.context();
    const name = target.name("json-doc");
    await withBlock(ctx, { name, type_slug: "custom-webhook", data: '{"url":"https://example.com","name":"n","json_data":{"b":[1,2],"a":null}}' }, async (live) => {
      expectNoChanges(kind, declare(kind, { name, type_slug: "custom-webhook", data: { json_data: { a: null, b: [1, 2] }, name: "n", url: "https://example.com" } }), live);
      const reordered = declare(kind, { name, type_slug: "custom-webhook", data: { json_data: { a: null, b: [2, 1] }, name: "n", url: "https://example.com" } });
      expect(diffSpec(kind, reordered, kind.toSpec(live)).map((change) => change.path)).toEqual([["data"]]);
    });
  });

  it("compares secret fields in clear, flags the change sensitive, and never shows the secret once masked", async () => {
    const ctx = target.context();
    const name = target.name("secret-compare");
    await withBlock(ctx, { name, type_slug: "secret", data: { value: SECRET } }, async (live) => {
      expect(live.data).toEqual({ value: SECRET });
      expectNoChanges(kind, declare(kind, { name, type_slug: "secret", data: { value: SECRET } }), live);

      const rotated = declare(kind, { name, type_slug: "secret", data: { value: OTHER_SECRET } });
      const changes = diffSpec(kind, rotated, kind.toSpec(live));
      expect(changes).toEqual([expect.objectContaining({ path: ["data"], sensitive: true, forceNew: false })]);
      expectNoSecret(JSON.stringify(masked(changes)));

      // A listed block compares the same way: list reads secrets in clear too.
      const listed = (await kind.list(ctx)).find((block) => block.id === live.id)!;
      expectNoChanges(kind, declare(kind, { name, type_slug: "secret", data: { value: SECRET } }), listed);
      expect(diffSpec(kind, rotated, kind.toSpec(listed))).toHaveLength(1);
    });
  });

  it("never lets a secret into an error: declaration, catalog, schema check, and Prefect's own refusals", async () => {
    const ctx = target.context();
    const errors: string[] = [];
    const refused = (raw: Raw) => {
      const parsed = parseSpec(kind, raw);
      expect(parsed.ok).toBe(false);
      errors.push(parsed.ok ? "" : parsed.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("\n"));
    };
    refused({ name: "x", type_slug: "secret", data: `{"value": "${SECRET}"` });
    refused({ name: "x", type_slug: "secret", data: `${SECRET}` });
    refused({ name: "x", type_slug: "secret", data: [SECRET] });
    refused({ name: "x", type_slug: "secret", data_wo: `not json ${SECRET}`, data_wo_version: 1 });
    refused({ name: "x", type_slug: "secret", data: { value: SECRET }, data_wo: { value: SECRET } });

    const unknown = await failure(kind.create(ctx, declare(kind, { name: target.name("leak-type"), type_slug: "no-such-type", data: { value: SECRET } })));
    expect(unknown).toBeInstanceOf(UnknownBlockTypeError);
    const mistyped = await failure(kind.create(ctx, declare(kind, { name: target.name("leak-schema"), type_slug: "slack-webhook", data: { url: 42, notify_type: SECRET } })));
    expect(mistyped).toBeInstanceOf(BlockDataError);
    const missing = await failure(kind.create(ctx, declare(kind, { name: target.name("leak-missing"), type_slug: "secret", data: { other: SECRET } })));
    expect(missing).toBeInstanceOf(BlockDataError);
    // Past declaration-time validation: Prefect refuses the name (422) and a reference to no document (409).
    const badName = await failure(kind.create(ctx, { name: "Not Valid", type_slug: "secret", data: { value: SECRET } }));
    expect(badName).toMatchObject({ code: "validation" });
    const dangling = { $ref: { block_document_id: "00000000-0000-4000-8000-000000000000" } };
    const noTarget = await failure(kind.create(ctx, declare(kind, { name: target.name("leak-ref"), type_slug: "custom-webhook", data: { name: SECRET, url: SECRET, secrets: dangling } })));
    expect(noTarget).toMatchObject({ code: "conflict" });

    errors.push(...[unknown, mistyped, missing, badName, noTarget].map(errorText));
    for (const text of errors) {
      expect(text.length).toBeGreaterThan(0);
      expectNoSecret(text);
    }
    expect(errorText(mistyped)).toMatch(/data\.url must be a string .*got a whole number/);
    expect(errorText(mistyped)).toMatch(/data\.notify_type must be one of "info", "success", "warning", "failure" .*got a string \(the value is not shown/);
    expect(errorText(missing)).toMatch(/data\.value is required by the "Secret" block schema/);
  });

  it("refuses an unknown type_slug naming it, with the known slugs and a suggestion, after one fresh look", async () => {
    const ctx = target.context();
    target.server?.clearExchanges();
    const error = await failure(kind.create(ctx, declare(kind, { name: target.name("unknown"), type_slug: "slak-webhook", data: {} })));
    expect(error).toBeInstanceOf(UnknownBlockTypeError);
    expect(error).toMatchObject({ code: "unknown_block_type", typeSlug: "slak-webhook" });
    expect(error.message).toMatch(/^type_slug "slak-webhook" is not a block type of this Prefect workspace \(did you mean "slack-webhook"\?\)\. Known slugs: .*aws-credentials.*, secret, .*slack-webhook/);
    if (target.server) {
      const catalogReads = target.server.exchanges.filter((exchange) => exchange.method === "POST" && exchange.path === "/block_types/filter");
      expect(catalogReads).toHaveLength(2);
      expect(target.server.exchanges.some((exchange) => exchange.method === "POST" && exchange.path === "/block_documents/")).toBe(false);
    }
  });

  it("keeps a $ref to another block document as declared: it round-trips with no changes and without the other block's secret", async () => {
    const ctx = target.context();
    const slug = target.name("gitops-test-creds");
    const type = await registerType(target, slug);
    try {
      await type.addSchema(credentialsFields(slug, true), "1");
      const first = await kind.create(ctx, declare(kind, { name: target.name("ref-pw"), type_slug: "secret", data: { value: SECRET } }));
      const second = await kind.create(ctx, declare(kind, { name: target.name("ref-pw2"), type_slug: "secret", data: { value: OTHER_SECRET } }));
      const name = target.name("ref-creds");
      const declared = (id: string) => declare(kind, { name, type_slug: slug, data: { host: "db", port: 5432, password: { $ref: { block_document_id: id } } } });
      const spec = declared(first.id);
      const live = await kind.create(ctx, spec);
      // Prefect answers with the other document resolved inline, and names it in block_document_references.
      expect(live.data?.password).toEqual({ value: SECRET });
      expect(live.block_document_references?.password).toMatchObject({ block_document: { id: first.id } });
      expect(kind.toSpec(live).data).toEqual({ host: "db", port: 5432, password: { $ref: { block_document_id: first.id } } });
      expectNoSecret(JSON.stringify(kind.toSpec(live)));
      expectNoChanges(kind, spec, live);
      expectNoChanges(kind, declared(first.id.toUpperCase()), live);

      const retargeted = declared(second.id);
      expect(diffSpec(kind, retargeted, kind.toSpec(live)).map((change) => change.path)).toEqual([["data"]]);
      const updated = await kind.update(ctx, live.id, retargeted, live, ["data"]);
      expect(updated.block_document_references?.password).toMatchObject({ block_document: { id: second.id } });
      expectNoChanges(kind, retargeted, updated);
      expectNoChanges(kind, retargeted, (await kind.list(ctx)).find((block) => block.id === live.id)!);

      await kind.delete(ctx, live.id);
      await kind.delete(ctx, first.id);
      await kind.delete(ctx, second.id);
    } finally {
      await type.remove();
    }
  });

  it("writes with the newest schema of the type, checks data against it, and migrates a block to it on update", async () => {
    const slug = target.name("gitops-test-versions");
    const type = await registerType(target, slug);
    try {
      const v1 = await type.addSchema(credentialsFields(slug, false), "1");
      const ctx = target.context();
      const name = target.name("versioned");
      const old = declare(kind, { name, type_slug: slug, data: { host: "db" } });
      const live = await kind.create(ctx, old);
      expect(live.block_schema_id).toBe(v1.id);

      const v2 = await type.addSchema(credentialsFields(slug, true), "2");
      // A newer schema alone is not a change of the block.
      expectNoChanges(kind, old, (await kind.read(ctx, live.id))!);
      // The run's catalog still has v1 as the newest; a new run sees v2.
      const fresh = target.context();
      expect((await resolveBlockType(fresh, slug)).schema.id).toBe(v2.id);

      const missingPort = await failure(kind.update(fresh, live.id, declare(kind, { name, type_slug: slug, data: { host: "db2" } }), live, ["data"]));
      expect(missingPort).toBeInstanceOf(BlockDataError);
      expect((missingPort as BlockDataError).issues).toEqual([expect.objectContaining({ path: ["data", "port"], message: expect.stringMatching(/is required/) })]);
      const textPort = await failure(kind.update(fresh, live.id, declare(kind, { name, type_slug: slug, data: { host: "db2", port: "5432" } }), live, ["data"]));
      expect((textPort as BlockDataError).issues).toEqual([{ path: ["data", "port"], message: expect.stringMatching(/^must be a whole number .*got a string/) }]);

      const next = declare(kind, { name, type_slug: slug, data: { host: "db2", port: 5432 } });
      const updated = await kind.update(fresh, live.id, next, live, ["data"]);
      expect(updated.block_schema_id).toBe(v2.id);
      expectNoChanges(kind, next, updated);
      await kind.delete(fresh, live.id);
    } finally {
      await type.remove();
    }
  });

  it("writes a secret with its type's own schema, not the newer one Prefect made from another type's nested definition, so the value stays masked", async () => {
    const slug = target.name("gitops-test-nested");
    const type = await registerType(target, slug);
    try {
      // Its nested Secret names a checksum the server does not have: the server registers the
      // nested definition as a new schema of the secret type, with neither block_type_slug nor
      // secret_fields (client-suite #3971, #3973), newer than the catalog's own.
      await type.addSchema(credentialsFields(slug, true), "1");
      const ctx = target.context();
      const resolved = await resolveBlockType(ctx, "secret");
      expect(resolved.schema.fields).toMatchObject({ block_type_slug: "secret", secret_fields: expect.arrayContaining(["value"]) });
      await withBlock(ctx, { name: target.name("nested-secret"), type_slug: "secret", data: { value: SECRET } }, async (live, spec) => {
        expect(live.block_schema_id).toBe(resolved.schema.id);
        expectNoChanges(kind, spec, live);
        // Read as Prefect's UI and clients read it, without include_secrets (scenarios.jsonl "block read").
        const plain = await target.client.get<{ data: Raw }>(`/block_documents/${live.id}`);
        expect(plain.data).toEqual({ value: "********" });
      });
    } finally {
      await type.remove();
    }
  });

  it("finds a block type registered during the run without a new context", async () => {
    const ctx = target.context();
    await resolveBlockType(ctx, "secret");
    const slug = target.name("gitops-test-late");
    const type = await registerType(target, slug);
    try {
      const schema = await type.addSchema(credentialsFields(slug, false), "1");
      expect((await resolveBlockType(ctx, slug)).schema.id).toBe(schema.id);
    } finally {
      await type.remove();
    }
  });

  describe("data_wo with data_wo_version", () => {
    it("sends data_wo on create, never compares it, and sends it again only when data_wo_version changes", async () => {
      const ctx = target.context();
      const name = target.name("write-only");
      const raw = (value: string, version: number): Raw => ({ name, type_slug: "secret", data_wo: { value }, data_wo_version: version });
      await withBlock(ctx, raw(SECRET, 1), async (live, spec) => {
        expect(live.data).toEqual({ value: SECRET });
        // Nothing recorded yet (an adopted block): no changes.
        expectNoChanges(kind, spec, live);
        const applied = { data_wo_version: 1 };

        // Another data_wo under the same version: no change, and an update would not send it.
        const sameVersion = declare(kind, raw(OTHER_SECRET, 1));
        expect(diffSpec(kind, sameVersion, withRecordedValues(kind, kind.toSpec(live), applied))).toEqual([]);
        const untouched = await kind.update(ctx, live.id, sameVersion, live, []);
        expect(untouched.data).toEqual({ value: SECRET });

        // A new version: the change is the version alone, and the update sends data_wo.
        const bumped = declare(kind, raw(OTHER_SECRET, 2));
        const changes = diffSpec(kind, bumped, withRecordedValues(kind, kind.toSpec(live), applied));
        expect(changes).toEqual([expect.objectContaining({ path: ["data_wo_version"], before: 1, after: 2, sensitive: false, forceNew: false })]);
        expectNoSecret(JSON.stringify(changes));
        const updated = await kind.update(ctx, live.id, bumped, live, ["data_wo_version"]);
        expect(updated.data).toEqual({ value: OTHER_SECRET });
        expect(diffSpec(kind, bumped, withRecordedValues(kind, kind.toSpec(updated), { data_wo_version: 2 }))).toEqual([]);
      });
    });

    it("sends data_wo when it replaces data in a block applied without a version", async () => {
      const ctx = target.context();
      const name = target.name("to-write-only");
      await withBlock(ctx, { name, type_slug: "secret", data: { value: SECRET } }, async (live) => {
        const switched = declare(kind, { name, type_slug: "secret", data_wo: { value: OTHER_SECRET }, data_wo_version: 1 });
        const changes = diffSpec(kind, switched, withRecordedValues(kind, kind.toSpec(live), { name, type_slug: "secret" }));
        expect(changes.map((change) => change.path)).toEqual([["data_wo_version"]]);
        const updated = await kind.update(ctx, live.id, switched, live, ["data_wo_version"]);
        expect(updated.data).toEqual({ value: OTHER_SECRET });
      });
    });

    it("has the facts that keep data_wo out of plans and state: write-only, sensitive; the version state-only", () => {
      const facts = attributeFactsOf(kind);
      expect(facts.data_wo).toMatchObject({ writeOnly: true, sensitive: true, format: "json" });
      expect(facts.data).toMatchObject({ writeOnly: false, sensitive: true, format: "json" });
      expect(facts.data_wo_version).toMatchObject({ stateOnly: true, sensitive: false, tfType: "number" });
    });
  });

  it.skipIf(Boolean(EXTERNAL_API_URL))("does not create a second block when the connection drops after Prefect created it", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("dropped"), type_slug: "secret", data: { value: SECRET } });
    target.server!.setFaults({ rules: [{ type: "drop", ratio: 1, phase: "after", route: "POST /block_documents/" }] });
    let created: Block;
    try {
      created = await kind.create(ctx, spec);
    } finally {
      target.server!.setFaults({ rules: [] });
    }
    expect(target.server!.exchanges.filter((exchange) => exchange.method === "POST" && exchange.path === "/block_documents/" && !exchange.busy)).toHaveLength(1);
    expect((await documentsNamed(target, spec.name)).map((document) => document.id)).toEqual([created.id]);
    expect(created.data).toEqual({ value: SECRET });
    expectNoChanges(kind, spec, created);
    await kind.delete(ctx, created.id);
  });

  it("does not create a second block when a create is repeated", async () => {
    const ctx = target.context();
    const spec = declare(kind, { name: target.name("twice"), type_slug: "secret", data: { value: SECRET } });
    const first = await kind.create(ctx, spec);
    const second = await kind.create(ctx, spec);
    expect(second.id).toBe(first.id);
    await kind.delete(ctx, first.id);
  });

  it("lists every named block in pages of 200 with secrets, reading the type catalog once per run", async () => {
    const setup = target.context();
    // A block type with no secret fields (a 3.8 server has no `string` type: catalog.json).
    const { type, schema } = await resolveBlockType(setup, "local-file-system");
    const ids = await Promise.all(
      Array.from({ length: 201 }, (_, i) =>
        target.client.post<{ id: string }>("/block_documents/", { name: target.name(`bulk-${i}`), data: { basepath: `/v${i}` }, block_type_id: type.id, block_schema_id: schema.id, is_anonymous: false }),
      ),
    );
    // An anonymous document (Prefect makes them for flows) is not a declared block.
    const anonymous = await target.client.post<{ id: string }>("/block_documents/", { data: { basepath: "/anon" }, block_type_id: type.id, block_schema_id: schema.id, is_anonymous: true });
    try {
      const named = await target.client.query<number>("/block_documents/count", {});
      const client = target.clientWith({});
      const ctx = createKindContext(client);
      target.server?.clearExchanges();
      const listed = await kind.list(ctx);
      expect(listed.map((block) => block.id)).toEqual(expect.arrayContaining(ids.map((made) => made.id)));
      expect(listed.map((block) => block.id)).not.toContain(anonymous.id);
      expect(new Set(listed.map((block) => block.id)).size).toBe(listed.length);
      const pages = Math.floor(named / 200) + 1;
      expect(client.stats().byRoute).toEqual({ "POST /block_documents/filter": pages, "POST /block_types/filter": 1, "POST /block_schemas/filter": 1 });
      if (target.server) {
        const bodies = target.server.exchanges.filter((exchange) => exchange.path === "/block_documents/filter").map((exchange) => exchange.requestBody);
        expect(bodies).toEqual(bodies.map((_, i) => expect.objectContaining({ include_secrets: true, limit: 200, offset: i * 200 })));
      }

      // Within the run, the catalog is not read again: not by a second list, not by a create.
      client.resetStats();
      await kind.list(ctx);
      const spec = declare(kind, { name: target.name("after-list"), type_slug: "secret", data: { value: SECRET } });
      const made = await kind.create(ctx, spec);
      expect(client.stats().byRoute).toEqual({ "POST /block_documents/filter": pages, "POST /block_documents/": 1, "GET /block_documents/{id}": 1 });
      await kind.delete(ctx, made.id);
      ctx.forget(CATALOG_KEY);
    } finally {
      await Promise.all([...ids, anonymous].map((made) => kind.delete(setup, made.id)));
    }
  });

  it.each([
    [{ name: "My Block", type_slug: "secret", data: {} }, "name", /"My Block" is not a valid block name: use only lowercase letters, digits and dashes \(e\.g\. "my-block"\)/],
    [{ name: "", type_slug: "secret", data: {} }, "name", /must not be empty/],
    [{ name: "ok", type_slug: "Slack Webhook", data: {} }, "type_slug", /"Slack Webhook" is not a block type slug: slugs use only lowercase letters, digits and dashes/],
    [{ name: "ok", data: {} }, "type_slug", /is required/],
    [{ name: "ok", type_slug: "secret", data: "[1, 2]" }, "data", /must be a JSON object, got an array/],
    [{ name: "ok", type_slug: "secret", data: "{nope" }, "data", /must be a JSON document \(use jsonencode\(\.\.\.\)\); it is not valid JSON \(the text is not shown/],
    [{ name: "ok", type_slug: "secret", data: { value: 1 }, data_wo: { value: 1 } }, "data_wo", /conflicts with data/],
    [{ name: "ok", type_slug: "secret", data: { value: 1 }, data_wo_version: 1 }, "data_wo_version", /requires data_wo/],
    [{ name: "ok", type_slug: "secret", data_wo: { value: 1 }, data_wo_version: 1.5 }, "data_wo_version", /must be a whole number/],
    [{ name: "ok", type_slug: "x", data: { pw: { $ref: { block_document_id: "pw-block" } } } }, "data.pw", /block_document_id is not a block document id \(a UUID\)/],
    [{ name: "ok", type_slug: "x", data: { pw: { $ref: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d00" } } }, "data.pw", /has a "\$ref" without a block_document_id/],
    [{ name: "ok", type_slug: "x", data_wo: { pw: { $ref: { block_document_id: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d00" }, note: "x" } } }, "data_wo.pw", /beside "note", which Prefect would drop/],
    [{ name: "ok", type_slug: "secret", data: {}, id: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d00" }, "id", /is set by Prefect and cannot be declared/],
    [{ name: "ok", type_slug: "secret", dta: {} }, "dta", /not an attribute of this resource \(did you mean "data"\?\)/],
  ])("refuses %j at declaration time naming %s", (raw, attribute, message) => {
    const result = parseSpec(kind, raw);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path.join("."))).toContain(attribute);
    expect(issues.map((issue) => issue.message).join("\n")).toMatch(message);
  });

  it("accepts a reference whose document id is not known until apply", () => {
    const parsed = parseSpec(kind, { name: "ok", type_slug: "x", data: { pw: { $ref: { block_document_id: { $unknown: "prefect_block.pw.id" } } } } });
    expect(parsed.ok).toBe(true);
  });

  it("has the identity type_slug/name and takes the official defaults: no data, no version", () => {
    const spec = declare(kind, { name: "alerts", type_slug: "slack-webhook" });
    expect(kind.identity(spec)).toBe("slack-webhook/alerts");
    expect(kind.label(spec)).toBe('block "slack-webhook/alerts"');
    expect(spec.data).toBeUndefined();
    expect(spec.data_wo_version).toBeUndefined();
  });

});

describe.skipIf(EXTERNAL_API_URL !== undefined && !/\/accounts\/[^/]+\/workspaces\//.test(EXTERNAL_API_URL))(`${TYPE} in a Prefect Cloud workspace`, () => {
  const target = useApiTarget({ cloud: true });

  it("reads account_id and workspace_id back as no changes, declared (in any case) or left to the provider", async () => {
    const ctx = target.context();
    const cloud = target.client.settings.cloud!;
    const name = target.name("cloud-block");
    await withBlock(ctx, { name, type_slug: "secret", data: { value: SECRET }, account_id: cloud.accountId, workspace_id: cloud.workspaceId }, async (live, spec) => {
      expectNoChanges(kind, spec, live);
      expectNoChanges(kind, declare(kind, { name, type_slug: "secret", data: { value: SECRET } }), live);
      expectNoChanges(kind, declare(kind, { name, type_slug: "secret", data: { value: SECRET }, account_id: cloud.accountId.toUpperCase(), workspace_id: cloud.workspaceId.toUpperCase() }), live);
      const elsewhere = declare(kind, { name, type_slug: "secret", data: { value: SECRET }, workspace_id: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d00" });
      expect(diffSpec(kind, elsewhere, kind.toSpec(live))).toEqual([expect.objectContaining({ path: ["workspace_id"], forceNew: true })]);
    });
  });
});

describe.skipIf(!recordingsPresent())(`${TYPE} against a real 3.8 server's answers (scenarios.jsonl)`, () => {
  const spec = () => declare(kind, { name: "pub-sec", type_slug: "secret", data: { value: "hunter2" } });

  it("reads a secret block read with include_secrets as the declaration that made it", () => {
    expectNoChanges(kind, spec(), recordedAnswer<Block>("block read with secrets"));
  });

  it("would see a change in the masked answer of a read without include_secrets, which is why every read asks for them", () => {
    expect(diffSpec(kind, spec(), kind.toSpec(recordedAnswer<Block>("block read"))).map((change) => change.path)).toEqual([["data"]]);
  });
});
