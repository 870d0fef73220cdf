// How the contract reads what a real Prefect server accepts and answers beyond its document.
import { describe, expect, it } from "vitest";
import { Contract } from "./validator.js";

const contract = Contract.load("oss");

describe("request bodies of several parameters (FastAPI's Body_* schemas)", () => {
  it("take a null top-level field as not sent: its default is filled, in the parsed body and the body as sent alike", () => {
    const body: Record<string, unknown> = { flows: null, sort: null, limit: null, offset: 0 };
    const sent: Record<string, unknown> = structuredClone(body);
    expect(contract.validateRequest("POST", "/flows/filter", body, { lax: true, sent })).toEqual({ ok: true });
    expect(body).toMatchObject({ sort: "NAME_ASC", offset: 0 });
    expect(body).not.toHaveProperty("limit");
    expect(sent).not.toHaveProperty("sort");
  });

  it("answer 'Field required' for a null required field", () => {
    expect(contract.validateRequest("POST", "/v2/concurrency_limits/increment", { names: null, slots: 1 }, { lax: true })).toEqual({
      ok: false,
      issues: [{ type: "missing", loc: ["body", "names"], msg: "Field required", input: null }],
    });
  });

  it("check a strict body on a copy, leaving the body untouched", () => {
    const body = { work_pools: null, limit: null, offset: 0 };
    expect(contract.validateRequest("POST", "/work_pools/filter", body)).toEqual({ ok: true });
    expect(body).toEqual({ work_pools: null, limit: null, offset: 0 });
  });

  it("still refuse a null for a field of a single model's body", () => {
    expect(contract.validateRequest("POST", "/work_pools/", { name: "p", is_paused: null }, { lax: true }).ok).toBe(false);
  });
});

describe("error answers", () => {
  it.each([
    [500, { exception_message: "Internal Server Error" }, true],
    [503, { exception_message: "Service Unavailable" }, true],
    [500, { detail: "boom" }, true],
    [500, { message: "boom" }, false],
  ])("a %i with %j is accepted: %s", (status, body, accepted) => {
    expect(contract.validateResponse("POST", "/automations/", status, body).ok).toBe(accepted);
  });
});
