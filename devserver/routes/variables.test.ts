import { beforeEach, describe, expect, it } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

interface Variable {
  id: string;
  created: string;
  updated: string;
  name: string;
  value: unknown;
  tags: string[];
}

interface ValidationError {
  exception_message: string;
  exception_detail: { type: string; loc: (string | number)[]; msg: string; input: unknown }[];
  request_body: unknown;
}

const INTEGRITY_CONFLICT =
  "Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.";
const NAME_RULE = "Value error, Variable name must only contain lowercase letters, numbers, and dashes or underscores.";

describe("variables", () => {
  const ctx = useDevServer();
  let api: RawApi;

  beforeEach(async () => {
    await rawApi(ctx.server.origin).post("/_devserver/reset");
    api = rawApi(ctx.server.url);
  });

  async function create(name: string, value: unknown, tags?: string[]): Promise<Variable> {
    const response = await api.post<Variable>("/variables/", tags === undefined ? { name, value } : { name, value, tags });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function names(filter: unknown): Promise<string[]> {
    const response = await api.post<Variable[]>("/variables/filter", filter);
    expect(response.status).toBe(200);
    return response.body.map((variable) => variable.name);
  }

  describe("create and read", () => {
    it("answers 201 with the stored variable, tags defaulting to an empty list", async () => {
      const response = await api.post<Variable>("/variables/", { name: "region", value: "eu-west-1" });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: "region", value: "eu-west-1", tags: [] });
      expect(response.body.created).toBe(response.body.updated);
    });

    it.each([
      ["a string", "eu-west-1"],
      ["an empty string", ""],
      ["zero", 0],
      ["a negative integer", -42],
      ["a fraction", 1.5],
      ["false", false],
      ["true", true],
      ["null", null],
      ["a list of mixed values", [1, "two", null, { three: 3 }]],
      ["an empty object", {}],
      ["a nested object", { db: { host: "localhost", ports: [5432, 5433], ssl: false, ratio: 0.25 } }],
      ["unicode text", "héllo wörld ✓ 日本 🚀"],
    ])("round-trips %s exactly through create, read by id, read by name and filter", async (_label, value) => {
      const made = await create("value-under-test", value);
      expect(made.value).toStrictEqual(value);
      expect((await api.get<Variable>(`/variables/${made.id}`)).body.value).toStrictEqual(value);
      expect((await api.get<Variable>("/variables/name/value-under-test")).body.value).toStrictEqual(value);
      const listed = await api.post<Variable[]>("/variables/filter", {});
      expect(listed.body.map((variable) => variable.value)).toStrictEqual([value]);
    });

    it("answers 409 naming the variable when the name is taken", async () => {
      await create("region", "eu-west-1");
      const again = await api.post("/variables/", { name: "region", value: "us-east-1" });
      // scenarios.jsonl "variable duplicate"
      expect(again).toMatchObject({ status: 409, body: { detail: "A variable with the name 'region' already exists." } });
      expect((await api.get<Variable>("/variables/name/region")).body.value).toBe("eu-west-1");
    });

    it("answers 404 'Variable not found.' for an unknown id or name", async () => {
      const unknown = "6a1b7c3e-0000-4000-8000-000000000000";
      expect(await api.get(`/variables/${unknown}`)).toMatchObject({ status: 404, body: { detail: "Variable not found." } });
      expect(await api.get("/variables/name/nothing")).toMatchObject({ status: 404, body: { detail: "Variable not found." } });
    });

    it("answers 422 for a malformed id instead of looking it up", async () => {
      const response = await api.get<ValidationError>("/variables/not-a-uuid");
      expect(response.status).toBe(422);
      expect(response.body.exception_detail[0]).toMatchObject({ type: "uuid_parsing", loc: ["path", "id"] });
    });
  });

  describe("name and value rules", () => {
    it.each(["Region", "my variable", "my.variable", "a/b", "café"])("refuses the name %j with a 422 naming the rule", async (name) => {
      const response = await api.post<ValidationError>("/variables/", { name, value: 1 });
      expect(response.status).toBe(422);
      expect(response.body.exception_message).toBe("Invalid request received.");
      expect(response.body.exception_detail).toEqual([expect.objectContaining({ type: "value_error", loc: ["body", "name"], msg: NAME_RULE, input: name })]);
      expect(response.body.request_body).toMatchObject({ name, value: 1 });
    });

    it("accepts lowercase letters, digits, dashes and underscores", async () => {
      await create("db-url_2", "postgres://");
      expect((await api.get<Variable>("/variables/name/db-url_2")).status).toBe(200);
    });

    it("accepts a 255-character name and refuses a 256-character one", async () => {
      await create("a".repeat(255), 1);
      const response = await api.post<ValidationError>("/variables/", { name: "b".repeat(256), value: 1 });
      expect(response.status).toBe(422);
      expect(response.body.exception_detail[0]).toMatchObject({ type: "string_too_long", loc: ["body", "name"] });
    });

    it("measures the value as serialized JSON bytes: 5000 pass, 5001 are refused", async () => {
      await create("ascii-fits", "x".repeat(4998)); // 4998 characters + 2 quotes
      await create("unicode-fits", "é".repeat(2499)); // 2 bytes each + 2 quotes
      for (const value of ["x".repeat(4999), "é".repeat(2500), { list: Array.from({ length: 3000 }, () => 1) }]) {
        const response = await api.post<ValidationError>("/variables/", { name: "too-big", value });
        expect(response.status).toBe(422);
        expect(response.body.exception_detail).toEqual([
          expect.objectContaining({ type: "value_error", loc: ["body", "value"], msg: "Value error, Variable value must be less than 5000 characters" }),
        ]);
      }
    });

    it("reports a bad name and an oversized value together", async () => {
      const response = await api.post<ValidationError>("/variables/", { name: "Bad", value: "x".repeat(6000) });
      expect(response.status).toBe(422);
      expect(response.body.exception_detail.map((issue) => issue.loc)).toEqual([
        ["body", "name"],
        ["body", "value"],
      ]);
    });

    it("refuses a body without a value", async () => {
      const response = await api.post<ValidationError>("/variables/", { name: "region" });
      expect(response.status).toBe(422);
      expect(response.body.exception_detail[0]).toMatchObject({ type: "missing", loc: ["body", "value"] });
    });
  });

  describe("update", () => {
    it("changes only the fields sent, by id and by name, and moves `updated`", async () => {
      const made = await create("region", "eu-west-1", ["infra"]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await api.patch(`/variables/${made.id}`, { value: { zone: "b" } })).status).toBe(204);
      const afterValue = (await api.get<Variable>(`/variables/${made.id}`)).body;
      expect(afterValue).toMatchObject({ name: "region", value: { zone: "b" }, tags: ["infra"], created: made.created });
      expect(afterValue.updated > made.updated).toBe(true);

      expect((await api.patch("/variables/name/region", { tags: ["infra", "eu"] })).status).toBe(204);
      expect((await api.get<Variable>(`/variables/${made.id}`)).body).toMatchObject({ value: { zone: "b" }, tags: ["infra", "eu"] });
    });

    it("sets a value to null when null is sent explicitly", async () => {
      const made = await create("region", "eu-west-1");
      expect((await api.patch(`/variables/${made.id}`, { value: null })).status).toBe(204);
      expect((await api.get<Variable>(`/variables/${made.id}`)).body.value).toBeNull();
    });

    it("renames, after which the old name is gone and the new one resolves", async () => {
      const made = await create("old-name", 1);
      expect((await api.patch("/variables/name/old-name", { name: "new-name" })).status).toBe(204);
      expect((await api.get("/variables/name/old-name")).status).toBe(404);
      expect((await api.get<Variable>("/variables/name/new-name")).body.id).toBe(made.id);
      const taken = await api.post("/variables/", { name: "old-name", value: 2 });
      expect(taken.status).toBe(201);
    });

    it("answers 409 when renaming onto another variable's name, and changes nothing", async () => {
      const first = await create("first", 1);
      await create("second", 2);
      expect(await api.patch(`/variables/${first.id}`, { name: "second", value: 3 })).toMatchObject({ status: 409, body: { detail: INTEGRITY_CONFLICT } });
      expect((await api.get<Variable>(`/variables/${first.id}`)).body).toMatchObject({ name: "first", value: 1 });
    });

    it("accepts a rename to the variable's own name", async () => {
      const made = await create("same", 1);
      expect((await api.patch(`/variables/${made.id}`, { name: "same", value: 2 })).status).toBe(204);
    });

    it("answers 409 when the name is explicitly nulled", async () => {
      const made = await create("region", 1);
      expect(await api.patch(`/variables/${made.id}`, { name: null })).toMatchObject({ status: 409, body: { detail: INTEGRITY_CONFLICT } });
    });

    it("applies the name and value rules to updates", async () => {
      const made = await create("region", 1);
      const badName = await api.patch<ValidationError>(`/variables/${made.id}`, { name: "Region" });
      expect(badName.status).toBe(422);
      expect(badName.body.exception_detail[0]).toMatchObject({ loc: ["body", "name"], msg: NAME_RULE });
      const bigValue = await api.patch<ValidationError>("/variables/name/region", { value: "x".repeat(5000) });
      expect(bigValue.status).toBe(422);
      expect(bigValue.body.exception_detail[0]).toMatchObject({ loc: ["body", "value"] });
      expect((await api.get<Variable>(`/variables/${made.id}`)).body).toMatchObject({ name: "region", value: 1 });
    });

    it("answers 404 for an unknown id or name, and refuses unknown fields with 422", async () => {
      expect(await api.patch("/variables/6a1b7c3e-0000-4000-8000-000000000000", { value: 1 })).toMatchObject({ status: 404, body: { detail: "Variable not found." } });
      expect(await api.patch("/variables/name/nothing", { value: 1 })).toMatchObject({ status: 404, body: { detail: "Variable not found." } });
      await create("region", 1);
      const extra = await api.patch<ValidationError>("/variables/name/region", { colour: "red" });
      expect(extra.status).toBe(422);
      expect(extra.body.exception_detail[0]).toMatchObject({ type: "extra_forbidden", loc: ["body", "colour"] });
    });
  });

  describe("delete", () => {
    it("deletes by id and by name, then answers 404", async () => {
      const first = await create("first", 1);
      await create("second", 2);
      expect((await api.delete(`/variables/${first.id}`)).status).toBe(204);
      expect((await api.delete("/variables/name/second")).status).toBe(204);
      expect(await api.delete(`/variables/${first.id}`)).toMatchObject({ status: 404, body: { detail: "Variable not found." } });
      expect(await api.delete("/variables/name/second")).toMatchObject({ status: 404, body: { detail: "Variable not found." } });
      expect(await names({})).toEqual([]);
    });
  });

  describe("filter and count", () => {
    beforeEach(async () => {
      await create("db-url", "postgres://", ["infra", "eu"]);
      await create("api_key", "secret", ["infra"]);
      await create("region", "eu-west-1", []);
      await create("dbxurl", "x", ["eu"]);
    });

    it("sorts by name ascending by default and honours the other sorts", async () => {
      expect(await names({})).toEqual(["api_key", "db-url", "dbxurl", "region"]);
      expect(await names({ sort: "NAME_DESC" })).toEqual(["region", "dbxurl", "db-url", "api_key"]);
      expect(await names({ sort: "CREATED_DESC" })).toHaveLength(4);
    });

    it("filters on exact names and on ids", async () => {
      expect(await names({ variables: { name: { any_: ["region", "api_key", "missing"] } } })).toEqual(["api_key", "region"]);
      const region = (await api.get<Variable>("/variables/name/region")).body;
      expect(await names({ variables: { id: { any_: [region.id] } } })).toEqual(["region"]);
      expect(await names({ variables: { id: { any_: [] } } })).toEqual([]);
    });

    it("matches like_ case-insensitively as SQL LIKE, where `_` and `%` are wildcards", async () => {
      expect(await names({ variables: { name: { like_: "DB" } } })).toEqual(["db-url", "dbxurl"]);
      expect(await names({ variables: { name: { like_: "db_url" } } })).toEqual(["db-url", "dbxurl"]);
      expect(await names({ variables: { name: { like_: "d%l" } } })).toEqual(["db-url", "dbxurl"]);
      expect(await names({ variables: { name: { like_: "i_k" } } })).toEqual(["api_key"]);
      expect(await names({ variables: { name: { like_: "nope" } } })).toEqual([]);
    });

    it("keeps variables whose tags include all of tags.all_, or that have no tags with is_null_", async () => {
      expect(await names({ variables: { tags: { all_: ["infra"] } } })).toEqual(["api_key", "db-url"]);
      expect(await names({ variables: { tags: { all_: ["infra", "eu"] } } })).toEqual(["db-url"]);
      expect(await names({ variables: { tags: { is_null_: true } } })).toEqual(["region"]);
      expect(await names({ variables: { tags: { is_null_: false } } })).toEqual(["api_key", "db-url", "dbxurl"]);
    });

    it("combines criteria with and_ by default and with or_ when asked", async () => {
      expect(await names({ variables: { name: { like_: "db" }, tags: { all_: ["infra"] } } })).toEqual(["db-url"]);
      expect(await names({ variables: { operator: "or_", name: { any_: ["region"] }, tags: { all_: ["infra"] } } })).toEqual(["api_key", "db-url", "region"]);
    });

    it("pages with offset and limit and refuses a limit above the server maximum", async () => {
      expect(await names({ offset: 1, limit: 2 })).toEqual(["db-url", "dbxurl"]);
      expect(await names({ offset: 10 })).toEqual([]);
      const tooMany = await api.post<ValidationError>("/variables/filter", { limit: 201 });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.exception_detail[0]).toMatchObject({ loc: ["body", "limit"] });
    });

    it("counts what the same filter selects", async () => {
      expect(await api.post("/variables/count", {})).toMatchObject({ status: 200, body: 4 });
      expect(await api.post("/variables/count", { variables: { tags: { all_: ["eu"] } } })).toMatchObject({ status: 200, body: 2 });
      expect(await api.post("/variables/count", { variables: null })).toMatchObject({ status: 200, body: 4 });
    });
  });

  it("keeps each Cloud workspace's variables apart", async () => {
    const cloud = rawApi(ctx.server.cloudUrl());
    await create("region", "oss");
    expect((await cloud.get("/variables/name/region")).status).toBe(404);
    expect((await cloud.post("/variables/", { name: "region", value: "cloud" })).status).toBe(201);
    expect((await api.get<Variable>("/variables/name/region")).body.value).toBe("oss");
  });
});
