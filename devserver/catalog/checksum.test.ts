import { describe, expect, it } from "vitest";
import { blockSchemaChecksum, pythonJsonDumps } from "./checksum.js";
import { systemBlockSchemas } from "./system-blocks.js";

// The recorded catalog (catalog.json, from ../shared/prefect-recordings/catalog.json) holds the
// checksums a real 3.8 server computed. Schemas with nested blocks, and the nested schemas made
// from their definitions, were checksummed with definitions their answered fields no longer show.
const TOP_LEVEL = systemBlockSchemas().filter(
  (schema) => schema.version !== "non-versioned" && Object.keys((schema.fields.block_schema_references as object | undefined) ?? {}).length === 0,
);

describe("block schema checksums", () => {
  it("has most of the catalog to check against", () => {
    expect(TOP_LEVEL.length).toBeGreaterThanOrEqual(35);
  });

  it.each(TOP_LEVEL.map((schema) => [`${schema.block_type_slug} ${schema.version}`, schema] as const))(
    "reproduces the checksum a real server gave %s",
    (_, schema) => {
      expect(blockSchemaChecksum(structuredClone(schema.fields))).toBe(schema.checksum);
    },
  );

  it("reproduces the checksums a real server gave a schema with a nested block and the schema made from its definition", () => {
    // client-suite.jsonl.gz seq 3971 (the request) and 3973 (the nested Secret schema).
    const secret = { title: "Secret", type: "object", properties: { value: { title: "Value", type: "string" } } };
    const fields = {
      title: "GitopsTestCredentials",
      type: "object",
      block_type_slug: "gitops-test-creds-ef4ccf",
      properties: { host: { title: "Host", type: "string" }, port: { title: "Port", type: "integer" }, password: { title: "Password", allOf: [{ $ref: "#/definitions/Secret" }] } },
      required: ["host", "port"],
      secret_fields: ["password.value"],
      block_schema_references: { password: { block_type_slug: "secret", block_schema_checksum: "sha256:f290d6bec2665ff8179b4b88a1ba1942bc93b228504da8b65ce66e8aa70d6159" } },
      definitions: { Secret: secret },
    };
    expect(blockSchemaChecksum(fields)).toBe("sha256:b26cc566c104d49e49c45a331e78c7fc9aed0b16141488090c13c5f0b861bc17");
    expect(blockSchemaChecksum({ ...secret, definitions: { Secret: secret } })).toBe("sha256:2991dd6447107499a1875b39054b8250382127417fe731802d94d6428a85d4c5");
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
