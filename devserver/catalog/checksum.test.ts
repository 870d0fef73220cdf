import { describe, expect, it } from "vitest";
import { blockSchemaChecksum, pythonJsonDumps } from "./checksum.js";
import { SYSTEM_BLOCKS } from "./system-blocks.js";

// Checksums published for these schemas by Prefect's collection registry
// (views/aggregate-block-metadata.json) and the server's bundled collection_blocks_data.json.
const PUBLISHED: Record<string, string> = {
  webhook: "sha256:61e9dbea14935ccb2cfac7eb38f01c4e878a81073806f2aec993820fa0d91eb3",
  json: "sha256:0f01d400eb1ebd964d491132cda72e6a6d843f8ce940397b3dba7be219852106",
  "date-time": "sha256:94cacaae861dc63b4fcfef96972d9269bb7cb8897a0591a6fd2ac6d0ee64571f",
  secret: "sha256:f290d6bec2665ff8179b4b88a1ba1942bc93b228504da8b65ce66e8aa70d6159",
  "local-file-system": "sha256:80dd31d7cc72fba9f3005c9692797050a118b5b24f3354df05ec1b7de9f0abbd",
  string: "sha256:d1323de7a11a0fcd1854515cf86358ad819f51e8d43f5ba176578965f54b2f9f",
  "slack-webhook": "sha256:4c5f58a0a665af3bec3831b2e8deee874789a390231d0b7290b381b2260e67dc",
  "aws-credentials": "sha256:17b73297ed60f080fb235b3a5a145a6d9b28a09b3ff2d9d17810b5e2c2075ebe",
  "github-credentials": "sha256:74a34b668838ba661d9160ab127053dd44a22dd04e89562839645791e70d046a",
};

describe("block schema checksums", () => {
  it.each(Object.entries(PUBLISHED))("reproduces Prefect's published checksum of %s", (slug, checksum) => {
    const block = SYSTEM_BLOCKS.find((candidate) => candidate.type.slug === slug);
    expect(block).toBeDefined();
    expect(blockSchemaChecksum(block?.schema.fields ?? {})).toBe(checksum);
  });

  it("ignores secret_fields at every depth and definitions that describe nested blocks", () => {
    const base = { properties: { a: { $ref: "#/definitions/Child" } }, definitions: { Child: { block_type_slug: "child", secret_fields: ["x"] } } };
    const withSecrets = { ...base, secret_fields: ["a.x"] };
    expect(blockSchemaChecksum(withSecrets)).toBe(blockSchemaChecksum(base));
    expect(blockSchemaChecksum(base)).toBe(blockSchemaChecksum({ properties: base.properties }));
  });

  it("keeps definitions of plain models, which change the checksum", () => {
    const fields = { properties: { a: { $ref: "#/definitions/Params" } } };
    expect(blockSchemaChecksum({ ...fields, definitions: { Params: { type: "object" } } })).not.toBe(blockSchemaChecksum(fields));
  });

  it.each([
    [{ b: 1, a: [true, null, "x"] }, '{"a": [true, null, "x"], "b": 1}'],
    ["é\u007f\n\"\\", '"\\u00e9\\u007f\\n\\"\\\\"'],
    [[1.5, 0.00001, 1e-7, 123.456, -0.5], "[1.5, 1e-05, 1e-07, 123.456, -0.5]"],
    [{}, "{}"],
  ])("serializes %j as Python's json.dumps(sort_keys=True) does", (value, expected) => {
    expect(pythonJsonDumps(value)).toBe(expected);
  });
});
