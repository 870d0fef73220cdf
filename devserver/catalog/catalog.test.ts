import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi } from "../../test/support/http.js";
import { CATALOG_PATH, catalogFromRecording, catalogText, readRecording, RECORDING_PATH } from "./from-recording.js";
import { systemCatalog } from "./system-blocks.js";

// The recording of a real 3.8 server's catalog sits beside the repository in CI and development
// only; without it, the devserver is held to the copy committed in devserver/catalog/catalog.json.
const recording = readRecording();
const withoutRecording = `no recording at ${RECORDING_PATH} (a clone without ../shared): comparing with the committed copy only`;

type Row = Record<string, unknown>;
/** What may differ from run to run on a real server too. */
function withoutIdsAndTimes(row: object): Row {
  const { id: _id, created: _created, updated: _updated, block_type_id: _typeId, ...rest } = row as Row;
  return rest.block_type ? { ...rest, block_type: withoutIdsAndTimes(rest.block_type as Row) } : rest;
}

/** The catalog as a real server answers `/block_types/filter` and `/block_schemas/filter`, ids and timestamps aside. */
function expectedAnswers(): { types: Row[]; schemas: Row[] } {
  if (recording) return { types: recording.block_types.map(withoutIdsAndTimes), schemas: recording.block_schemas.map(withoutIdsAndTimes) };
  return answersFromCommittedCopy();
}

/** The same from the committed copy: types by name, schemas newest first (see the tests below for why). */
function answersFromCommittedCopy(): { types: Row[]; schemas: Row[] } {
  const catalog = systemCatalog();
  const types = new Map(catalog.block_types.map((type) => [type.slug, type]));
  return {
    types: [...catalog.block_types].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((type): Row => ({ ...type })),
    schemas: [...catalog.block_schemas].reverse().map(({ block_type_slug, ...schema }) => ({ ...schema, block_type: types.get(block_type_slug) })),
  };
}

describe("the committed block catalog", () => {
  it.skipIf(!recording)("is what the recording of a real server gives (else run `npx tsx scripts/block-catalog.ts`)", () => {
    if (!recording) return;
    expect(readFileSync(CATALOG_PATH, "utf8")).toBe(catalogText(catalogFromRecording(recording)));
  });

  it.skipIf(!recording)("gives the recorded answers when sorted as a real server sorts them", () => {
    if (!recording) return;
    expect(answersFromCommittedCopy()).toEqual({ types: recording.block_types.map(withoutIdsAndTimes), schemas: recording.block_schemas.map(withoutIdsAndTimes) });
  });

  it.runIf(!recording)(`is used as it is: ${withoutRecording}`, () => {
    expect(systemCatalog().block_types.length).toBeGreaterThan(0);
  });

  it("has none of the block types a 3.8 server no longer registers, and the protected ones a real server installs", () => {
    const catalog = systemCatalog();
    const slugs = catalog.block_types.map((type) => type.slug);
    for (const gone of ["string", "json", "date-time"]) expect(slugs).not.toContain(gone);
    expect(slugs).toEqual(expect.arrayContaining(["secret", "slack-webhook", "github-credentials", "aws-credentials", "custom-webhook"]));
    // block_registration.py `_install_protected_system_blocks`: Webhook, Secret, LocalFileSystem.
    expect(catalog.block_types.filter((type) => type.is_protected).map((type) => type.slug).sort()).toEqual(["local-file-system", "secret", "webhook"]);
  });
});

describe("the devserver's block catalog", () => {
  const ctx = useDevServer();

  it("lists exactly the recorded block types, ordered by name as a real server orders them", async () => {
    // models/block_types.py `read_block_types`: ORDER BY name (SQLite's binary collation: "dbt ..." after "Webhook").
    const answer = await rawApi(ctx.server.url).post<Row[]>("/block_types/filter", {});
    expect(answer.status).toBe(200);
    expect(answer.body.map(withoutIdsAndTimes)).toEqual(expectedAnswers().types);
  });

  it("lists exactly the recorded block schemas, newest first as a real server lists them", async () => {
    // models/block_schemas.py `read_block_schemas`: ORDER BY created DESC.
    const answer = await rawApi(ctx.server.url).post<Row[]>("/block_schemas/filter", {});
    expect(answer.status).toBe(200);
    expect(answer.body.map(withoutIdsAndTimes)).toEqual(expectedAnswers().schemas);
    for (const schema of answer.body) expect((schema.block_type as Row).id).toBe(schema.block_type_id);
  });

  it("answers one recorded block type by slug and its schema by checksum as a real server did", async () => {
    const api = rawApi(ctx.server.url);
    // scenarios.jsonl "block type secret" and "block schemas of secret".
    const secret = expectedAnswers().types.find((type) => type.slug === "secret");
    const type = await api.get<Row>("/block_types/slug/secret");
    expect(withoutIdsAndTimes(type.body)).toEqual(secret);
    const schemas = await api.post<Row[]>("/block_schemas/filter", { block_schemas: { block_type_id: { any_: [type.body.id] } } });
    expect(schemas.body).toHaveLength(1);
    const [schema] = schemas.body;
    expect(schema).toMatchObject({ checksum: "sha256:c078ed9c1e813e224c0b353d7ad4564a11d51d3198d9ac0686478165a1911c78", version: "3.8.4" });
    expect((await api.get<Row>(`/block_schemas/checksum/${String(schema?.checksum)}`)).body.id).toBe(schema?.id);
  });

  it("answers 404 for the block types a 3.8 server does not have", async () => {
    const api = rawApi(ctx.server.url);
    for (const slug of ["string", "json", "date-time"]) {
      expect(await api.get(`/block_types/slug/${slug}`)).toMatchObject({ status: 404, body: { detail: "Block type not found" } });
    }
  });
});
