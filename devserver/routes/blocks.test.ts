import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { systemBlockSchemas, systemBlockTypes } from "../catalog/system-blocks.js";
import { startDevServer } from "../index.js";
import { startTestDevServer, useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

// The checksums a real 3.8 server gives these schemas (catalog.json).
const SECRET_CHECKSUM = "sha256:c078ed9c1e813e224c0b353d7ad4564a11d51d3198d9ac0686478165a1911c78";
const GITHUB_CREDENTIALS_CHECKSUM = "sha256:74a34b668838ba661d9160ab127053dd44a22dd04e89562839645791e70d046a";
/** Secret's checksum on older servers, which clients built against them still name in references. */
const OLD_SECRET_CHECKSUM = "sha256:f290d6bec2665ff8179b4b88a1ba1942bc93b228504da8b65ce66e8aa70d6159";
/** The schema a real server made for a Secret nested as `{title, type, properties: {value}}` (client-suite.jsonl.gz seq 3973). */
const NESTED_SECRET_CHECKSUM = "sha256:2991dd6447107499a1875b39054b8250382127417fe731802d94d6428a85d4c5";
const MISSING_ID = "00000000-0000-4000-8000-000000000000";

interface BlockType {
  id: string;
  name: string;
  slug: string;
  is_protected: boolean;
  description: string | null;
  updated: string;
}
interface BlockSchema {
  id: string;
  checksum: string;
  version: string;
  capabilities: string[];
  fields: Record<string, unknown>;
  block_type_id: string;
  block_type: BlockType;
}
interface BlockDocument {
  id: string;
  updated: string;
  name: string;
  data: Record<string, unknown>;
  block_schema_id: string;
  block_schema: BlockSchema;
  block_type_id: string;
  block_type_name: string;
  block_type: BlockType;
  block_document_references: Record<string, { block_document: { id: string; name: string; block_type: BlockType; is_anonymous: boolean } }>;
  is_anonymous: boolean;
}

let unique = 0;
/** A name no other test in this file uses (the server is shared by the whole file). */
const fresh = (prefix: string) => `${prefix}-${++unique}`;

async function typeOf(api: RawApi, slug: string): Promise<BlockType> {
  const response = await api.get<BlockType>(`/block_types/slug/${slug}`);
  expect(response.status).toBe(200);
  return response.body;
}

/** The newest schema of a block type, found the way clients find it. */
async function schemaOf(api: RawApi, typeId: string): Promise<BlockSchema> {
  const response = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [typeId] } }, limit: 1 });
  expect(response.status).toBe(200);
  const [schema] = response.body;
  if (!schema) throw new Error(`no schema for block type ${typeId}`);
  return schema;
}

async function createDocument(api: RawApi, slug: string, name: string, data: Record<string, unknown>): Promise<BlockDocument> {
  const type = await typeOf(api, slug);
  const schema = await schemaOf(api, type.id);
  const response = await api.post<BlockDocument>("/block_documents/", { name, data, block_type_id: type.id, block_schema_id: schema.id });
  expect(response.status).toBe(201);
  return response.body;
}

/** A user-defined block type whose `credentials` field is an AWS Credentials block. */
async function createBucketType(api: RawApi): Promise<{ type: BlockType; schema: BlockSchema }> {
  const slug = fresh("bucket");
  const type = (await api.post<BlockType>("/block_types/", { name: `Bucket ${slug}`, slug })).body;
  const aws = await schemaOf(api, (await typeOf(api, "aws-credentials")).id);
  const fields = {
    title: "Bucket",
    type: "object",
    properties: { bucket: { type: "string" }, credentials: { $ref: "#/definitions/AwsCredentials" } },
    secret_fields: ["credentials.aws_secret_access_key"],
    block_schema_references: { credentials: { block_type_slug: "aws-credentials", block_schema_checksum: aws.checksum } },
    block_type_slug: slug,
  };
  const schema = (await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields })).body;
  return { type, schema };
}

const ctx = useDevServer();

describe("system block catalog", () => {
  it("gives every workspace the system block types, protected as on a real server", async () => {
    const api = rawApi(ctx.server.url);
    const secret = await typeOf(api, "secret");
    expect(secret).toMatchObject({ name: "Secret", is_protected: true });
    expect(await typeOf(api, "slack-webhook")).toMatchObject({ name: "Slack Webhook", is_protected: false });
    const all = await api.post<BlockType[]>("/block_types/filter", { block_types: { slug: { any_: ["secret", "slack-webhook", "custom-webhook", "github-credentials", "aws-credentials", "json", "string", "date-time"] } } });
    // A 3.8 server no longer registers String, JSON and DateTime (catalog.json).
    expect(all.body.map((type) => type.slug)).toEqual(["aws-credentials", "custom-webhook", "github-credentials", "secret", "slack-webhook"]);
  });

  it("seeds each Cloud workspace on its own", async () => {
    const first = rawApi(ctx.server.cloudUrl("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"));
    const second = rawApi(ctx.server.cloudUrl("11111111-1111-4111-8111-111111111111", "33333333-3333-4333-8333-333333333333"));
    expect((await typeOf(first, "aws-credentials")).is_protected).toBe(false);
    expect(await first.post("/block_types/", { name: "Only Here", slug: "only-here" })).toMatchObject({ status: 201 });
    expect((await second.get("/block_types/slug/only-here")).status).toBe(404);
    const firstSecret = await typeOf(first, "secret");
    const secondSecret = await typeOf(second, "secret");
    expect(firstSecret.id).not.toBe(secondSecret.id);
    expect((await rawApi(ctx.server.url).get("/block_types/slug/only-here")).status).toBe(404);
  });

  it("serves each system schema under the checksum Prefect computes for it", async () => {
    const api = rawApi(ctx.server.url);
    const secret = await api.get<BlockSchema>(`/block_schemas/checksum/${SECRET_CHECKSUM}`);
    expect(secret.status).toBe(200);
    expect(secret.body.block_type.slug).toBe("secret");
    expect(secret.body.fields).toMatchObject({ secret_fields: ["value", "value"], required: ["value"], block_type_slug: "secret" });
    expect(secret.body.version).toBe("3.8.4");
    const github = await api.get<BlockSchema>(`/block_schemas/checksum/${GITHUB_CREDENTIALS_CHECKSUM}?version=0.2.2`);
    expect(github.body.fields).toMatchObject({ secret_fields: ["token"], properties: { token: { format: "password" } } });
    expect((await api.get(`/block_schemas/checksum/${GITHUB_CREDENTIALS_CHECKSUM}?version=9.9.9`)).status).toBe(404);
    const aws = await schemaOf(api, (await typeOf(api, "aws-credentials")).id);
    expect(aws.fields.secret_fields).toEqual(["aws_secret_access_key"]);
  });

  it("lists notification blocks by their notify capability", async () => {
    const api = rawApi(ctx.server.url);
    const notify = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_capabilities: { all_: ["notify"] } } });
    const notifiers = ["custom-webhook", "discord-webhook", "mattermost-webhook", "ms-teams-webhook", "opsgenie-webhook", "pager-duty-webhook", "sendgrid-email", "slack-webhook", "twilio-sms"];
    expect(new Set(notify.body.map((schema) => schema.block_type.slug))).toEqual(new Set(notifiers));
    const notifyTypes = await api.post<BlockType[]>("/block_types/filter", { block_schemas: { block_capabilities: { all_: ["notify"] } } });
    // By name: "Microsoft Teams Webhook" sorts before "Opsgenie Webhook", "Sendgrid Email" before "Slack Webhook".
    expect(notifyTypes.body.map((type) => type.slug)).toEqual(notifiers);
    const capabilities = await api.get<string[]>("/block_capabilities/");
    expect(capabilities.body).toEqual(expect.arrayContaining(["notify", "read-path", "write-path"]));
  });

  it("reinstalls the protected system types without duplicating their schemas", async () => {
    const api = rawApi(ctx.server.url);
    const secret = await typeOf(api, "secret");
    const before = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [secret.id] } } });
    expect(await api.post("/block_types/install_system_block_types")).toMatchObject({ status: 200, body: null });
    const after = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [secret.id] } } });
    expect(after.body.map((schema) => schema.id)).toEqual(before.body.map((schema) => schema.id));
    expect((await typeOf(api, "secret")).id).toBe(secret.id);
  });
});

describe("block types", () => {
  it("creates a block type, escaping HTML in its description as Prefect stores it", async () => {
    const api = rawApi(ctx.server.url);
    const slug = fresh("my-type");
    const response = await api.post<BlockType>("/block_types/", { name: "My Type", slug, description: "a < b & c", code_example: "x" });
    expect(response).toMatchObject({ status: 201, body: { name: "My Type", slug, description: "a &lt; b &amp; c", is_protected: false } });
    expect((await api.get<BlockType>(`/block_types/${response.body.id}`)).body.slug).toBe(slug);
  });

  it("refuses a duplicate slug, a reserved name and a slug with capitals", async () => {
    const api = rawApi(ctx.server.url);
    const slug = fresh("dup");
    await api.post("/block_types/", { name: "First", slug });
    expect(await api.post("/block_types/", { name: "Second", slug })).toMatchObject({ status: 409, body: { detail: 'Block type with name "Second" already exists' } });
    expect(await api.post("/block_types/", { name: "Prefect Thing", slug: fresh("reserved") })).toMatchObject({
      status: 403,
      body: { detail: "Block type names beginning with 'Prefect' are reserved." },
    });
    const bad = await api.post<{ exception_detail: { loc: unknown[]; msg: string }[] }>("/block_types/", { name: "Caps", slug: "Has-Caps" });
    expect(bad.status).toBe(422);
    expect(bad.body.exception_detail[0]).toMatchObject({ loc: ["body", "slug"], msg: "Value error, Block type slug must only contain lowercase letters, numbers, and dashes." });
  });

  it("answers 404 with Prefect's wording for an unknown block type", async () => {
    const api = rawApi(ctx.server.url);
    expect(await api.get(`/block_types/${MISSING_ID}`)).toMatchObject({ status: 404, body: { detail: "Block type not found" } });
    expect(await api.get("/block_types/slug/nope")).toMatchObject({ status: 404, body: { detail: "Block type not found" } });
    expect(await api.patch(`/block_types/${MISSING_ID}`, { description: "x" })).toMatchObject({ status: 404 });
    expect(await api.delete(`/block_types/${MISSING_ID}`)).toMatchObject({ status: 404 });
  });

  it("updates the fields sent, also on protected types, but never deletes a protected type", async () => {
    const api = rawApi(ctx.server.url);
    const secret = await typeOf(api, "secret");
    expect((await api.patch(`/block_types/${secret.id}`, { description: "Kept safe." })).status).toBe(204);
    const updated = await typeOf(api, "secret");
    expect(updated).toMatchObject({ description: "Kept safe.", name: "Secret" });
    expect(updated.updated >= secret.updated).toBe(true);
    expect(await api.delete(`/block_types/${secret.id}`)).toMatchObject({ status: 403, body: { detail: "protected block types cannot be deleted." } });
  });

  it("deletes a block type with its schemas and documents", async () => {
    const api = rawApi(ctx.server.url);
    const slug = fresh("doomed");
    const type = (await api.post<BlockType>("/block_types/", { name: "Doomed", slug })).body;
    const schema = (await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields: { title: slug } })).body;
    const document = (await api.post<BlockDocument>("/block_documents/", { name: "doc", data: {}, block_type_id: type.id, block_schema_id: schema.id })).body;
    expect((await api.delete(`/block_types/${type.id}`)).status).toBe(204);
    expect((await api.get(`/block_schemas/${schema.id}`)).status).toBe(404);
    expect((await api.get(`/block_documents/${document.id}`)).status).toBe(404);
  });

  it("filters block types by name (case-insensitive) and pages them", async () => {
    const api = rawApi(ctx.server.url);
    const byName = await api.post<BlockType[]>("/block_types/filter", { block_types: { name: { like_: "webHOOK" } } });
    const webhooks = ["custom-webhook", "discord-webhook", "mattermost-webhook", "ms-teams-webhook", "opsgenie-webhook", "pager-duty-webhook", "slack-webhook", "webhook"];
    expect(byName.body.map((type) => type.slug)).toEqual(webhooks);
    const second = await api.post<BlockType[]>("/block_types/filter", { block_types: { name: { like_: "webhook" } }, offset: 1, limit: 1 });
    expect(second.body.map((type) => type.slug)).toEqual(["discord-webhook"]);
    expect((await api.post("/block_types/filter", { limit: 201 })).status).toBe(422);
  });
});

describe("block schemas", () => {
  it("registers a schema once per checksum and version", async () => {
    const api = rawApi(ctx.server.url);
    const type = (await api.post<BlockType>("/block_types/", { name: "Versioned", slug: fresh("versioned") })).body;
    const fields = { title: "Versioned", type: "object", properties: { x: { type: "string" } }, secret_fields: [] };
    const first = await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields, capabilities: ["read-path"] });
    expect(first).toMatchObject({ status: 201, body: { version: "non-versioned", capabilities: ["read-path"], block_type: { id: type.id } } });
    expect(first.body.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields });
    expect(again.body.id).toBe(first.body.id);
    const v2 = await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields, version: "2.0.0" });
    expect(v2.body.id).not.toBe(first.body.id);
    expect(v2.body.checksum).toBe(first.body.checksum);
    expect((await api.get<BlockSchema>(`/block_schemas/checksum/${first.body.checksum}`)).body.id).toBe(v2.body.id);
    expect((await api.get<BlockSchema>(`/block_schemas/checksum/${first.body.checksum}?version=non-versioned`)).body.id).toBe(first.body.id);
    const listed = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [type.id] } } });
    expect(listed.body.map((schema) => schema.id)).toEqual([v2.body.id, first.body.id]);
    const bare = await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id });
    expect(bare).toMatchObject({ status: 201, body: { fields: {}, capabilities: [], version: "non-versioned" } });
    const byVersion = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [type.id] }, version: { any_: ["2.0.0"] } } });
    expect(byVersion.body.map((schema) => schema.id)).toEqual([v2.body.id]);
  });

  it("needs an existing block type, also for nested blocks", async () => {
    const api = rawApi(ctx.server.url);
    expect(await api.post("/block_schemas/", { block_type_id: MISSING_ID, fields: {} })).toMatchObject({
      status: 404,
      body: { detail: `Block type ${MISSING_ID} not found.` },
    });
    const type = (await api.post<BlockType>("/block_types/", { name: "Parent", slug: fresh("parent") })).body;
    const nested = await api.post("/block_schemas/", {
      block_type_id: type.id,
      fields: { title: "Parent", block_schema_references: { child: { block_type_slug: "no-such-type", block_schema_checksum: "sha256:0" } } },
    });
    expect(nested).toMatchObject({ status: 409, body: { detail: "Cannot create block schema because block type 'no-such-type' was not found.Did you forget to register the block type?" } });
  });

  it("registers a nested block as a schema of its own when the referenced checksum is unknown, as a real server did", async () => {
    // client-suite.jsonl.gz seq 3970-3990: the reference names an old Secret checksum a 3.8 server lacks.
    // A workspace of its own: the nested Secret schema becomes the newest Secret schema, which other tests look up.
    const api = rawApi(ctx.server.cloudUrl("11111111-1111-4111-8111-111111111111", "44444444-4444-4444-8444-444444444444"));
    const slug = fresh("nested-creds");
    const type = (await api.post<BlockType>("/block_types/", { name: `Nested ${slug}`, slug })).body;
    const secretDefinition = { title: "Secret", type: "object", properties: { value: { title: "Value", type: "string" } } };
    const fields = {
      title: "GitopsTestCredentials",
      type: "object",
      block_type_slug: slug,
      properties: { host: { title: "Host", type: "string" }, password: { title: "Password", allOf: [{ $ref: "#/definitions/Secret" }] } },
      required: ["host"],
      secret_fields: ["password.value"],
      block_schema_references: { password: { block_type_slug: "secret", block_schema_checksum: OLD_SECRET_CHECKSUM } },
      definitions: { Secret: secretDefinition },
    };
    const created = await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields, capabilities: [], version: "1" });
    // The create answers the fields as sent (seq 3971)...
    expect(created.status).toBe(201);
    expect(created.body.fields).toEqual(fields);
    // ...and made a `non-versioned` Secret schema from the definition, without a block_type_slug (seq 3973).
    const nested = await api.get<BlockSchema>(`/block_schemas/checksum/${NESTED_SECRET_CHECKSUM}`);
    expect(nested.status).toBe(200);
    expect(nested.body).toMatchObject({ version: "non-versioned", capabilities: [], block_type: { slug: "secret" } });
    expect(nested.body.fields).toEqual({ ...secretDefinition, block_schema_references: {} });
    // Reads answer the references pointing at it and its fields as the definition (seq 3973, 3990).
    const read = await api.get<BlockSchema>(`/block_schemas/${created.body.id}`);
    expect(read.body.fields).toEqual({
      ...fields,
      block_schema_references: { password: { block_schema_checksum: NESTED_SECRET_CHECKSUM, block_type_slug: "secret" } },
      definitions: { Secret: { ...secretDefinition, block_schema_references: {} } },
    });
    const listed = await api.post<BlockSchema[]>("/block_schemas/filter", { limit: 2 });
    expect(listed.body.map((schema) => schema.id)).toEqual([nested.body.id, created.body.id]);
    // A second schema naming the same unknown checksum reuses the nested schema (seq 3988-3990).
    const other = (await api.post<BlockType>("/block_types/", { name: `Other ${slug}`, slug: `${slug}-other` })).body;
    const second = await api.post<BlockSchema>("/block_schemas/", { block_type_id: other.id, fields: { ...fields, block_type_slug: other.slug }, version: "1" });
    expect(second.status).toBe(201);
    const secretType = await typeOf(api, "secret");
    const secretSchemas = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [secretType.id] } } });
    expect(secretSchemas.body.map((schema) => schema.checksum)).toEqual([NESTED_SECRET_CHECKSUM, SECRET_CHECKSUM]);

    // A document of the nested schema shows its fields, with no block_type_slug (seq 3974-3975).
    const password = await api.post<BlockDocument>("/block_documents/", {
      name: fresh("ref-pw"),
      data: { value: "s3cr3t" },
      block_schema_id: nested.body.id,
      block_type_id: secretType.id,
      is_anonymous: false,
    });
    expect(password.status).toBe(201);
    expect(password.body.block_schema.fields).toEqual({ ...secretDefinition, block_schema_references: {} });
    // Its schema lists no secret field: the value is answered in clear, as the real server did.
    expect(password.body.data).toEqual({ value: "s3cr3t" });
    const parent = await api.post<BlockDocument>("/block_documents/", {
      name: fresh("ref-creds"),
      data: { host: "db", password: { $ref: { block_document_id: password.body.id } } },
      block_schema_id: created.body.id,
      block_type_id: type.id,
      is_anonymous: false,
    });
    // seq 3978: each document is obfuscated by its own schema's secret fields, so the nested value shows in clear.
    expect(parent.body.data).toEqual({ host: "db", password: { value: "s3cr3t" } });
    expect(parent.body.block_schema.fields).toEqual(read.body.fields);
  });

  it.each(["s3-bucket", "dbt-core-operation", "github-repository"])(
    "answers a schema registered with %s's fields as a real server answers them, references and definitions rebuilt",
    async (slug) => {
      // catalog.json: the fields a real server answered; registered again, they must read back the same
      // (models/block_schemas.py `_construct_full_block_schema`; s3-bucket has a union reference, dbt-core-operation nested ones).
      const api = rawApi(ctx.server.cloudUrl("11111111-1111-4111-8111-111111111111", "55555555-5555-4555-8555-555555555555"));
      const recorded = systemBlockSchemas().find((schema) => schema.block_type_slug === slug && schema.version !== "non-versioned");
      if (!recorded) throw new Error(`no recorded schema for ${slug}`);
      const type = (await api.post<BlockType>("/block_types/", { name: `Again ${slug}`, slug: fresh(`again-${slug}`) })).body;
      const created = await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields: recorded.fields, version: "again" });
      expect(created.status).toBe(201);
      expect((await api.get<BlockSchema>(`/block_schemas/${created.body.id}`)).body.fields).toEqual(recorded.fields);
    },
  );

  it("refuses a nested block whose definition is missing, leaving nothing behind", async () => {
    // Prefect's 500 body is `{"exception_message": "Internal Server Error"}`, which the contract checker
    // (that wants a `detail` on every error) does not know: this server is not contract-checked.
    const server = await startDevServer({ port: 0 });
    onTestFinished(() => server.close());
    const api = rawApi(server.url);
    const slug = fresh("no-definition");
    const type = (await api.post<BlockType>("/block_types/", { name: `No Definition ${slug}`, slug })).body;
    const fields = {
      title: "NoDefinition",
      properties: { password: { $ref: "#/definitions/Missing" } },
      block_schema_references: { password: { block_type_slug: "secret", block_schema_checksum: "sha256:0" } },
    };
    // models/block_schemas.py `_register_nested_block_schemas` raises a ValueError: a 500.
    expect(await api.post("/block_schemas/", { block_type_id: type.id, fields })).toMatchObject({ status: 500, body: { exception_message: "Internal Server Error" } });
    const listed = await api.post<BlockSchema[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [type.id] } } });
    expect(listed.body).toEqual([]);
  });

  it("protects the schemas of protected types and deletes a schema with its documents", async () => {
    const api = rawApi(ctx.server.url);
    const secretSchema = await schemaOf(api, (await typeOf(api, "secret")).id);
    expect(await api.delete(`/block_schemas/${secretSchema.id}`)).toMatchObject({ status: 403, body: { detail: "Block schemas for protected block types cannot be deleted." } });
    const type = (await api.post<BlockType>("/block_types/", { name: "Short Lived", slug: fresh("short-lived") })).body;
    const schema = (await api.post<BlockSchema>("/block_schemas/", { block_type_id: type.id, fields: { title: "Short" } })).body;
    const document = (await api.post<BlockDocument>("/block_documents/", { name: "d", data: {}, block_type_id: type.id, block_schema_id: schema.id })).body;
    expect((await api.delete(`/block_schemas/${schema.id}`)).status).toBe(204);
    expect(await api.get(`/block_schemas/${schema.id}`)).toMatchObject({ status: 404, body: { detail: "Block schema not found" } });
    expect((await api.get(`/block_documents/${document.id}`)).status).toBe(404);
    expect((await api.get(`/block_types/${type.id}`)).status).toBe(200);
  });
});

describe("block documents", () => {
  it("hides secret fields unless secrets are asked for", async () => {
    const api = rawApi(ctx.server.url);
    const name = fresh("db-password");
    const created = await createDocument(api, "secret", name, { value: "hunter2" });
    expect(created).toMatchObject({ name, data: { value: "********" }, block_type_name: "Secret", is_anonymous: false, block_document_references: {} });
    expect(created.block_schema.block_type.slug).toBe("secret");
    // scenarios.jsonl "block secret create" / "block read": the document's keys, and its schema's fields as the catalog has them.
    expect(Object.keys(created).sort()).toEqual(
      ["block_document_references", "block_schema", "block_schema_id", "block_type", "block_type_id", "block_type_name", "created", "data", "id", "is_anonymous", "name", "updated"],
    );
    expect(Object.keys(created.block_schema).sort()).toEqual(["block_type", "block_type_id", "capabilities", "checksum", "created", "fields", "id", "updated", "version"]);
    expect(created.block_schema.fields).toEqual(systemBlockSchemas().find((schema) => schema.block_type_slug === "secret")?.fields);
    expect((await api.get<BlockDocument>(`/block_documents/${created.id}`)).body.data).toEqual({ value: "********" });
    expect((await api.get<BlockDocument>(`/block_documents/${created.id}?include_secrets=true`)).body.data).toEqual({ value: "hunter2" });
    const filtered = await api.post<BlockDocument[]>("/block_documents/filter", { block_documents: { name: { any_: [name] } }, include_secrets: true });
    expect(filtered.body.map((document) => document.data)).toEqual([{ value: "hunter2" }]);
    expect((await api.get(`/block_documents/${created.id}?include_secrets=maybe`)).status).toBe(422);
  });

  it("obfuscates every value under a wildcard secret field and keeps them when sent back obfuscated", async () => {
    const api = rawApi(ctx.server.url);
    const hook = await createDocument(api, "custom-webhook", fresh("hook"), {
      name: "hook",
      url: "https://example.com",
      secrets: { token: "abc", nested: { key: "def" } },
    });
    expect(hook.data.secrets).toEqual({ token: "********", nested: { key: "********" } });
    expect(hook.data.url).toBe("https://example.com");
    expect((await api.patch(`/block_documents/${hook.id}`, { data: { ...hook.data, url: "https://example.org" } })).status).toBe(204);
    const stored = (await api.get<BlockDocument>(`/block_documents/${hook.id}?include_secrets=true`)).body;
    expect(stored.data).toMatchObject({ url: "https://example.org", secrets: { token: "abc", nested: { key: "def" } } });
  });

  it("keeps a stored secret when an update sends its obfuscated value back", async () => {
    const api = rawApi(ctx.server.url);
    const slack = await createDocument(api, "slack-webhook", fresh("alerts"), { url: "https://hooks.slack.com/real" });
    expect(slack.data.url).toBe("********");
    await api.patch(`/block_documents/${slack.id}`, { data: { url: "********", notify_type: "failure" }, merge_existing_data: false });
    expect((await api.get<BlockDocument>(`/block_documents/${slack.id}?include_secrets=true`)).body.data).toEqual({
      url: "https://hooks.slack.com/real",
      notify_type: "failure",
    });
  });

  it("merges an update into the stored data by default and replaces it when asked", async () => {
    const api = rawApi(ctx.server.url);
    const document = await createDocument(api, "remote-file-system", fresh("config"), { basepath: "s3://bucket", settings: { a: 1, b: 2 } });
    await api.patch(`/block_documents/${document.id}`, { data: { settings: { a: 3 } } });
    const merged = (await api.get<BlockDocument>(`/block_documents/${document.id}`)).body;
    // The merge is shallow: `settings` is replaced as a whole, other keys stay.
    expect(merged.data).toEqual({ basepath: "s3://bucket", settings: { a: 3 } });
    expect(merged.updated >= document.updated).toBe(true);
    await api.patch(`/block_documents/${document.id}`, { data: { basepath: "gs://other" }, merge_existing_data: false });
    expect((await api.get<BlockDocument>(`/block_documents/${document.id}`)).body.data).toEqual({ basepath: "gs://other" });
    expect(await api.patch(`/block_documents/${MISSING_ID}`, { data: {} })).toMatchObject({ status: 404, body: { detail: "Block document not found" } });
  });

  it("moves a document only to a schema of its own block type", async () => {
    const api = rawApi(ctx.server.url);
    const document = await createDocument(api, "local-file-system", fresh("files"), { basepath: "/tmp/a" });
    const other = await schemaOf(api, (await typeOf(api, "remote-file-system")).id);
    expect(await api.patch(`/block_documents/${document.id}`, { block_schema_id: other.id, data: { basepath: "/tmp/b" } })).toMatchObject({
      status: 400,
      body: { detail: "Must migrate block document to a block schema of the same block type." },
    });
    expect((await api.get<BlockDocument>(`/block_documents/${document.id}`)).body.data).toEqual({ basepath: "/tmp/a" });
  });

  it("refuses a duplicate name, a missing name and a name Prefect does not allow", async () => {
    const api = rawApi(ctx.server.url);
    const name = fresh("unique");
    const first = await createDocument(api, "local-file-system", name, { basepath: "/1" });
    const again = await api.post("/block_documents/", { name, data: { basepath: "/2" }, block_type_id: first.block_type_id, block_schema_id: first.block_schema_id });
    expect(again).toMatchObject({ status: 409, body: { detail: "Block already exists" } });
    const nameless = await api.post<{ exception_detail: unknown[] }>("/block_documents/", { data: {}, block_type_id: first.block_type_id, block_schema_id: first.block_schema_id });
    expect(nameless.status).toBe(422);
    expect(nameless.body.exception_detail[0]).toMatchObject({ loc: ["body"], msg: "Value error, Names must be provided for block documents." });
    const capitals = await api.post<{ exception_detail: unknown[] }>("/block_documents/", { name: "Not_OK", data: {}, block_type_id: first.block_type_id, block_schema_id: first.block_schema_id });
    expect(capitals.body.exception_detail[0]).toMatchObject({
      loc: ["body", "name"],
      msg: "Value error, Block document name must only contain lowercase letters, numbers, and dashes.",
    });
    const slashed = await api.post("/block_documents/", { name: "a/b", data: {}, block_type_id: first.block_type_id, block_schema_id: first.block_schema_id });
    expect(slashed.status).toBe(422);
  });

  it("answers a foreign key conflict for an unknown schema or type", async () => {
    const api = rawApi(ctx.server.url);
    const type = await typeOf(api, "local-file-system");
    const conflict = await api.post("/block_documents/", { name: fresh("orphan"), data: {}, block_type_id: type.id, block_schema_id: MISSING_ID });
    expect(conflict).toMatchObject({ status: 409, body: { detail: expect.stringContaining("Data integrity conflict") } });
  });

  it("names anonymous documents itself and leaves them out of listings unless asked", async () => {
    const api = rawApi(ctx.server.url);
    const type = await typeOf(api, "local-file-system");
    const schema = await schemaOf(api, type.id);
    const anonymous = await api.post<BlockDocument>("/block_documents/", { data: { basepath: "/x" }, block_type_id: type.id, block_schema_id: schema.id, is_anonymous: true });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body).toMatchObject({ is_anonymous: true });
    expect(anonymous.body.name).toMatch(/^anonymous-[0-9a-f-]{36}$/);
    const named = await api.post<BlockDocument[]>("/block_documents/filter", { block_documents: { id: { any_: [anonymous.body.id] } } });
    expect(named.body).toEqual([]);
    const all = await api.post<BlockDocument[]>("/block_documents/filter", { block_documents: { id: { any_: [anonymous.body.id] }, is_anonymous: null } });
    expect(all.body.map((document) => document.id)).toEqual([anonymous.body.id]);
    const ofType = await api.get<BlockDocument[]>("/block_types/slug/local-file-system/block_documents");
    expect(ofType.body.some((document) => document.id === anonymous.body.id)).toBe(false);
  });

  it("resolves referenced documents inline and lists them as references", async () => {
    const api = rawApi(ctx.server.url);
    const credentials = await createDocument(api, "aws-credentials", fresh("aws"), { aws_access_key_id: "AKIA", aws_secret_access_key: "s3cret" });
    const { type, schema } = await createBucketType(api);
    const bucket = await api.post<BlockDocument>("/block_documents/", {
      name: fresh("bucket"),
      data: { bucket: "b", credentials: { $ref: { block_document_id: credentials.id } } },
      block_type_id: type.id,
      block_schema_id: schema.id,
    });
    expect(bucket.status).toBe(201);
    expect(bucket.body.data).toEqual({ bucket: "b", credentials: { aws_access_key_id: "AKIA", aws_secret_access_key: "********" } });
    expect(bucket.body.block_document_references.credentials?.block_document).toMatchObject({
      id: credentials.id,
      name: credentials.name,
      is_anonymous: false,
      block_type: { slug: "aws-credentials" },
    });
    const revealed = (await api.get<BlockDocument>(`/block_documents/${bucket.body.id}?include_secrets=true`)).body;
    expect(revealed.data.credentials).toEqual({ aws_access_key_id: "AKIA", aws_secret_access_key: "s3cret" });
  });

  it("keeps a reference sent again on update and drops one that is not, even when merging", async () => {
    const api = rawApi(ctx.server.url);
    const credentials = await createDocument(api, "aws-credentials", fresh("aws"), { region_name: "eu-west-1" });
    const { type, schema } = await createBucketType(api);
    const reference = { $ref: { block_document_id: credentials.id } };
    const bucket = (
      await api.post<BlockDocument>("/block_documents/", { name: fresh("bucket"), data: { bucket: "b", credentials: reference }, block_type_id: type.id, block_schema_id: schema.id })
    ).body;
    await api.patch(`/block_documents/${bucket.id}`, { data: { bucket: "c", credentials: reference } });
    const kept = (await api.get<BlockDocument>(`/block_documents/${bucket.id}`)).body;
    expect(kept.data).toEqual({ bucket: "c", credentials: { region_name: "eu-west-1" } });
    // Prefect merges over the stored data without its references, then removes the references the update did not carry.
    await api.patch(`/block_documents/${bucket.id}`, { data: { bucket: "d" } });
    const dropped = (await api.get<BlockDocument>(`/block_documents/${bucket.id}`)).body;
    expect(dropped.data).toEqual({ bucket: "d" });
    expect(dropped.block_document_references).toEqual({});
    expect((await api.get(`/block_documents/${credentials.id}`)).status).toBe(200);
  });

  it("refuses references to missing documents and references without a document id", async () => {
    const api = rawApi(ctx.server.url);
    const { type, schema } = await createBucketType(api);
    const base = { block_type_id: type.id, block_schema_id: schema.id };
    const missing = await api.post("/block_documents/", { ...base, name: fresh("b"), data: { credentials: { $ref: { block_document_id: MISSING_ID } } } });
    expect(missing).toMatchObject({ status: 409, body: { detail: expect.stringContaining("foreign key") } });
    const bare = await api.post("/block_documents/", { ...base, name: fresh("b"), data: { credentials: { $ref: MISSING_ID } } });
    expect(bare).toMatchObject({ status: 400, body: { detail: "Received block reference without a block_document_id in key credentials" } });
  });

  it("drops a reference when the referenced document is deleted", async () => {
    const api = rawApi(ctx.server.url);
    const credentials = await createDocument(api, "aws-credentials", fresh("aws"), { aws_access_key_id: "AKIA" });
    const { type, schema } = await createBucketType(api);
    const bucket = (
      await api.post<BlockDocument>("/block_documents/", {
        name: fresh("bucket"),
        data: { bucket: "b", credentials: { $ref: { block_document_id: credentials.id } } },
        block_type_id: type.id,
        block_schema_id: schema.id,
      })
    ).body;
    expect((await api.delete(`/block_documents/${credentials.id}`)).status).toBe(204);
    const after = (await api.get<BlockDocument>(`/block_documents/${bucket.id}`)).body;
    expect(after.data).toEqual({ bucket: "b" });
    expect(after.block_document_references).toEqual({});
    expect(await api.delete(`/block_documents/${credentials.id}`)).toMatchObject({ status: 404, body: { detail: "Block document not found" } });
  });

  it("filters documents by block type slug and name, sorts them and counts them", async () => {
    const api = rawApi(ctx.server.url);
    const prefix = fresh("sorted");
    for (const suffix of ["b", "a", "c"]) await createDocument(api, "local-file-system", `${prefix}-${suffix}`, { basepath: `/${suffix}` });
    await createDocument(api, "remote-file-system", `${prefix}-z`, { basepath: "s3://other-type" });
    const query = { block_types: { slug: { any_: ["local-file-system"] } }, block_documents: { name: { like_: prefix } } };
    const ascending = await api.post<BlockDocument[]>("/block_documents/filter", query);
    expect(ascending.body.map((document) => document.name)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    const descending = await api.post<BlockDocument[]>("/block_documents/filter", { ...query, sort: "NAME_DESC", limit: 2 });
    expect(descending.body.map((document) => document.name)).toEqual([`${prefix}-c`, `${prefix}-b`]);
    expect(await api.post("/block_documents/count", query)).toMatchObject({ status: 200, body: 3 });
    // With or_, the default `is_anonymous: {eq_: false}` criterion alone matches every named document.
    const orDefault = await api.post<BlockDocument[]>("/block_documents/filter", { block_documents: { operator: "or_", id: { any_: [] } } });
    expect(orDefault.body.length).toBeGreaterThan(3);
    const either = await api.post<BlockDocument[]>("/block_documents/filter", {
      block_documents: { operator: "or_", name: { any_: [`${prefix}-a`] }, id: { any_: [] }, is_anonymous: null },
    });
    expect(either.body.map((document) => document.name)).toEqual([`${prefix}-a`]);
  });

  it("finds documents by block type slug and exact names, not those of other types", async () => {
    const api = rawApi(ctx.server.url);
    const name = fresh("same-name");
    const wanted = await createDocument(api, "local-file-system", name, { basepath: "/s" });
    await createDocument(api, "remote-file-system", name, { basepath: "s3://j" });
    const found = await api.post<BlockDocument[]>("/block_documents/filter", {
      block_types: { slug: { any_: ["local-file-system"] } },
      block_documents: { name: { any_: [name, "no-such-document"] } },
    });
    expect(found.body.map((document) => document.id)).toEqual([wanted.id]);
    const byTypeId = await api.post<BlockDocument[]>("/block_documents/filter", {
      block_documents: { block_type_id: { any_: [wanted.block_type_id] }, name: { any_: [name] }, is_anonymous: null },
    });
    expect(byTypeId.body.map((document) => document.id)).toEqual([wanted.id]);
    expect(await api.post("/block_documents/count", { block_documents: { name: { any_: [name] } } })).toMatchObject({ body: 2 });
  });

  it("finds a document by block type slug and name", async () => {
    const api = rawApi(ctx.server.url);
    const name = fresh("lookup");
    const document = await createDocument(api, "local-file-system", name, { basepath: "/v" });
    const found = await api.get<BlockDocument>(`/block_types/slug/local-file-system/block_documents/name/${name}`);
    expect(found).toMatchObject({ status: 200, body: { id: document.id, data: { basepath: "/v" } } });
    expect(await api.get(`/block_types/slug/remote-file-system/block_documents/name/${name}`)).toMatchObject({ status: 404, body: { detail: "Block document not found" } });
    const listed = await api.get<BlockDocument[]>("/block_types/slug/local-file-system/block_documents");
    expect(listed.body.some((candidate) => candidate.id === document.id)).toBe(true);
    expect(await api.get("/block_types/slug/nope/block_documents")).toMatchObject({ status: 404, body: { detail: "Block type not found" } });
  });

  it("works the same under the Cloud prefix", async () => {
    const api = rawApi(ctx.server.cloudUrl());
    const document = await createDocument(api, "github-credentials", fresh("gh"), { token: "ghp_x" });
    expect(document.data).toEqual({ token: "********" });
    expect((await api.get<BlockDocument>(`/block_documents/${document.id}?include_secrets=true`)).body.data).toEqual({ token: "ghp_x" });
    expect((await rawApi(ctx.server.url).get(`/block_documents/${document.id}`)).status).toBe(404);
  });
});

describe("blocks kept in a data directory", () => {
  it("registers the system blocks again at each start, as a real server does, keeping what is there", async () => {
    // models/block_registration.py `run_block_auto_registration` runs at every server start.
    const dataDir = mkdtempSync(join(tmpdir(), "devserver-blocks-"));
    try {
      const first = await startTestDevServer({ dataDir });
      const api = rawApi(first.url);
      const smb = await typeOf(api, "smb");
      const secret = await typeOf(api, "secret");
      expect((await api.delete(`/block_types/${smb.id}`)).status).toBe(204);
      expect((await api.patch(`/block_types/${secret.id}`, { description: "changed" })).status).toBe(204);
      await first.close();

      const second = await startTestDevServer({ dataDir });
      const again = rawApi(second.url);
      const back = await typeOf(again, "smb");
      expect(back.id).not.toBe(smb.id);
      expect((await schemaOf(again, back.id)).version).toBe("3.8.4");
      const restored = await typeOf(again, "secret");
      expect(restored.id).toBe(secret.id);
      expect(restored.description).toBe(systemBlockTypes().find((type) => type.slug === "secret")?.description);
      expect((await again.post<BlockType[]>("/block_types/filter", {})).body).toHaveLength(systemBlockTypes().length);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps the catalog, documents and their references across a restart without seeding twice", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "devserver-blocks-"));
    try {
      const first = await startTestDevServer({ dataDir });
      const api = rawApi(first.url);
      const credentials = await createDocument(api, "aws-credentials", "creds", { aws_secret_access_key: "k" });
      const { type, schema } = await createBucketType(api);
      const bucket = (
        await api.post<BlockDocument>("/block_documents/", {
          name: "bucket",
          data: { credentials: { $ref: { block_document_id: credentials.id } } },
          block_type_id: type.id,
          block_schema_id: schema.id,
        })
      ).body;
      const typesBefore = (await api.post<BlockType[]>("/block_types/filter", {})).body.map((candidate) => candidate.id);
      expect(first.responseViolations).toEqual([]);
      await first.close();

      const second = await startTestDevServer({ dataDir });
      const again = rawApi(second.url);
      expect((await again.post<BlockType[]>("/block_types/filter", {})).body.map((candidate) => candidate.id)).toEqual(typesBefore);
      const restored = (await again.get<BlockDocument>(`/block_documents/${bucket.id}?include_secrets=true`)).body;
      expect(restored.data).toEqual({ credentials: { aws_secret_access_key: "k" } });
      expect((await again.delete(`/block_documents/${credentials.id}`)).status).toBe(204);
      expect((await again.get<BlockDocument>(`/block_documents/${bucket.id}`)).body.block_document_references).toEqual({});
      expect(second.responseViolations).toEqual([]);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
