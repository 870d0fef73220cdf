import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";

interface FullLimit {
  id: string;
  created: string;
  updated: string;
  active: boolean;
  name: string;
  limit: number;
  active_slots: number;
  denied_slots: number;
  slot_decay_per_second: number;
  avg_slot_occupancy_seconds: number;
}
type ReadLimit = Omit<FullLimit, "denied_slots" | "avg_slot_occupancy_seconds">;
interface Minimal {
  id: string;
  name: string;
  limit: number;
}
interface LeaseAnswer {
  lease_id: string;
  limits: Minimal[];
}
interface ValidationError {
  exception_detail: { type: string; loc: (string | number)[]; msg: string }[];
}

const INTEGRITY_CONFLICT =
  "Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.";
const NOT_FOUND = { detail: "Concurrency Limit not found" };
const UNKNOWN_ID = "6a1b7c3e-0000-4000-8000-000000000000";
const BASE = "/v2/concurrency_limits";

describe("global concurrency limits", () => {
  const ctx = useDevServer();
  let api: RawApi;

  beforeEach(async () => {
    await rawApi(ctx.server.origin).post("/_devserver/reset");
    api = rawApi(ctx.server.url);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  async function create(name: string, limit: number, extra: Record<string, unknown> = {}): Promise<FullLimit> {
    const response = await api.post<FullLimit>(`${BASE}/`, { name, limit, ...extra });
    expect(response.status).toBe(201);
    return response.body;
  }

  const read = async (idOrName: string): Promise<ReadLimit> => (await api.get<ReadLimit>(`${BASE}/${encodeURIComponent(idOrName)}`)).body;
  const activeSlots = async (idOrName: string): Promise<number> => (await read(idOrName)).active_slots;
  const takeLease = (names: string[], slots = 1, extra: Record<string, unknown> = {}) =>
    api.post<LeaseAnswer>(`${BASE}/increment-with-lease`, { names, slots, mode: "concurrency", ...extra });

  describe("create, read, update, delete", () => {
    it("answers 201 with the full limit and the server's defaults", async () => {
      const response = await api.post<FullLimit>(`${BASE}/`, { name: "db", limit: 5 });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: "db", limit: 5, active: true, active_slots: 0, denied_slots: 0, slot_decay_per_second: 0, avg_slot_occupancy_seconds: 2 });
    });

    it("reads a limit by id or by name in the same path segment, without denied slots or occupancy", async () => {
      const made = await create("db", 5);
      const byId = await api.get<ReadLimit>(`${BASE}/${made.id}`);
      const byName = await api.get<ReadLimit>(`${BASE}/db`);
      expect(byId.status).toBe(200);
      expect(byName.body).toEqual(byId.body);
      expect(Object.keys(byId.body).sort()).toEqual(["active", "active_slots", "created", "id", "limit", "name", "slot_decay_per_second", "updated"]);
    });

    it("answers 404 'Concurrency Limit not found' for an unknown id or name", async () => {
      for (const target of [UNKNOWN_ID, "nothing"]) {
        expect(await api.get(`${BASE}/${target}`)).toMatchObject({ status: 404, body: NOT_FOUND });
        expect(await api.patch(`${BASE}/${target}`, { limit: 1 })).toMatchObject({ status: 404, body: NOT_FOUND });
        expect(await api.delete(`${BASE}/${target}`)).toMatchObject({ status: 404, body: NOT_FOUND });
      }
    });

    it("treats a segment that parses as a UUID as an id only, never as a name", async () => {
      await create(UNKNOWN_ID, 1);
      expect((await api.get(`${BASE}/${UNKNOWN_ID}`)).status).toBe(404);
    });

    it("answers 409 with the data-integrity wording for a duplicate name", async () => {
      await create("db", 5);
      expect(await api.post(`${BASE}/`, { name: "db", limit: 1 })).toMatchObject({ status: 409, body: { detail: INTEGRITY_CONFLICT } });
    });

    it.each(["a/b", "50%", "x&y", "a>b", "a<b"])("refuses the name %j with a pattern 422", async (name) => {
      const response = await api.post<ValidationError>(`${BASE}/`, { name, limit: 1 });
      expect(response.status).toBe(422);
      expect(response.body.exception_detail[0]).toMatchObject({ type: "string_pattern_mismatch", loc: ["body", "name"] });
    });

    it("refuses a negative limit", async () => {
      const response = await api.post<ValidationError>(`${BASE}/`, { name: "db", limit: -1 });
      expect(response.status).toBe(422);
      expect(response.body.exception_detail[0]).toMatchObject({ loc: ["body", "limit"] });
    });

    it("updates only the fields sent, by id or by name", async () => {
      const made = await create("db", 5, { slot_decay_per_second: 0.5 });
      expect((await api.patch(`${BASE}/db`, { limit: 7 })).status).toBe(204);
      expect((await api.patch(`${BASE}/${made.id}`, { active: false, name: "database" })).status).toBe(204);
      expect(await read(made.id)).toMatchObject({ name: "database", limit: 7, active: false, slot_decay_per_second: 0.5 });
      expect((await api.get(`${BASE}/db`)).status).toBe(404);
    });

    it("answers 409 when renaming onto another limit's name or nulling a field", async () => {
      const first = await create("first", 1);
      await create("second", 1);
      expect(await api.patch(`${BASE}/${first.id}`, { name: "second" })).toMatchObject({ status: 409, body: { detail: INTEGRITY_CONFLICT } });
      expect(await api.patch(`${BASE}/${first.id}`, { limit: null })).toMatchObject({ status: 409, body: { detail: INTEGRITY_CONFLICT } });
      expect(await read(first.id)).toMatchObject({ name: "first", limit: 1 });
    });

    it("deletes by id or by name", async () => {
      const first = await create("first", 1);
      await create("second", 1);
      expect((await api.delete(`${BASE}/${first.id}`)).status).toBe(204);
      expect((await api.delete(`${BASE}/second`)).status).toBe(204);
      expect((await api.post<ReadLimit[]>(`${BASE}/filter`, {})).body).toEqual([]);
    });
  });

  describe("filter", () => {
    it("lists every limit by name, deployment-owned ones included, with offset and limit", async () => {
      await create("zeta", 1);
      await create("deployment:0b6f6f43-8d8b-4f7b-a6d2-5c0e9a1b2c02", 1);
      await create("alpha", 1);
      const all = await api.post<ReadLimit[]>(`${BASE}/filter`, {});
      expect(all.body.map((limit) => limit.name)).toEqual(["alpha", "deployment:0b6f6f43-8d8b-4f7b-a6d2-5c0e9a1b2c02", "zeta"]);
      expect(all.body[0]).not.toHaveProperty("denied_slots");
      const paged = await api.post<ReadLimit[]>(`${BASE}/filter`, { offset: 1, limit: 1 });
      expect(paged.body.map((limit) => limit.name)).toEqual(["deployment:0b6f6f43-8d8b-4f7b-a6d2-5c0e9a1b2c02"]);
      expect((await api.post(`${BASE}/filter`, { limit: 201 })).status).toBe(422);
    });
  });

  describe("increment and decrement by names", () => {
    it("counts slots up and down and answers the limits named", async () => {
      const made = await create("db", 3);
      const up = await api.post<Minimal[]>(`${BASE}/increment`, { names: ["db"], slots: 2 });
      expect(up).toMatchObject({ status: 200, body: [{ id: made.id, name: "db", limit: 3 }] });
      expect(await activeSlots("db")).toBe(2);
      expect((await api.post<Minimal[]>(`${BASE}/decrement`, { names: ["db"], slots: 1 })).body).toEqual([{ id: made.id, name: "db", limit: 3 }]);
      expect(await activeSlots("db")).toBe(1);
      await api.post(`${BASE}/decrement`, { names: ["db"], slots: 5 });
      expect(await activeSlots("db")).toBe(0);
    });

    it("skips names that match no limit", async () => {
      expect(await api.post(`${BASE}/increment`, { names: ["missing"], slots: 1 })).toMatchObject({ status: 200, body: [] });
      // A null for a required field of a multi-parameter body is "Field required" (fastapi/dependencies/utils.py).
      expect(await api.post(`${BASE}/increment`, { names: null, slots: 1 })).toMatchObject({
        status: 422,
        body: { exception_detail: [{ type: "missing", loc: ["body", "names"], msg: "Field required", input: null }] },
      });
      expect(await api.post(`${BASE}/decrement`, { names: ["missing"], slots: 1 })).toMatchObject({ status: 200, body: [] });
      expect((await takeLease(["missing"])).body.limits).toEqual([]);
    });

    it("lists an inactive limit but never counts slots on it", async () => {
      await create("paused", 1, { active: false });
      expect((await api.post<Minimal[]>(`${BASE}/increment`, { names: ["paused"], slots: 1 })).body.map((l) => l.name)).toEqual(["paused"]);
      expect((await api.post(`${BASE}/increment`, { names: ["paused"], slots: 1 })).status).toBe(200);
      expect(await activeSlots("paused")).toBe(0);
    });

    it("answers 422 when more slots are asked than a limit has, taking none", async () => {
      await create("small", 2);
      for (const route of ["increment", "increment-with-lease"]) {
        expect(await api.post(`${BASE}/${route}`, { names: ["small"], slots: 3 })).toMatchObject({ status: 422, body: { detail: "Slots requested is greater than the limit" } });
      }
      expect(await activeSlots("small")).toBe(0);
    });

    it("answers 422 naming the limits without decay when asked to rate-limit on them", async () => {
      await create("plain", 5);
      await create("other", 5);
      const response = await api.post(`${BASE}/increment`, { names: ["plain", "other"], slots: 1, mode: "rate_limit" });
      expect(response).toMatchObject({
        status: 422,
        body: { detail: "Only concurrency limits with slot decay can be used for rate limiting. The following limits do not have a decay configured: 'plain,other'" },
      });
    });

    it("answers 423 Locked with a Retry-After from the average occupancy when a limit is full", async () => {
      await create("one", 1);
      expect((await api.post(`${BASE}/increment`, { names: ["one"], slots: 1 })).status).toBe(200);
      const first = await api.post(`${BASE}/increment`, { names: ["one"], slots: 1 });
      expect(first).toMatchObject({ status: 423, body: { detail: "Locked" } });
      expect(first.headers.get("retry-after")).toBe("2.0");
      // The refusal is counted, so the next one is told to wait for two slots.
      expect((await api.post(`${BASE}/increment`, { names: ["one"], slots: 1 })).headers.get("retry-after")).toBe("4.0");
      expect(await activeSlots("one")).toBe(1);
    });

    it("refuses slots: 0 and a missing names list with 422", async () => {
      expect((await api.post(`${BASE}/increment`, { names: ["db"], slots: 0 })).status).toBe(422);
      expect((await api.post(`${BASE}/increment`, { slots: 1 })).status).toBe(422);
    });
  });

  describe("leases", () => {
    it("answers a lease id and the limits, and holds the slots until the lease is released", async () => {
      const made = await create("db", 1);
      const first = await takeLease(["db"]);
      expect(first.status).toBe(200);
      expect(first.body.limits).toEqual([{ id: made.id, name: "db", limit: 1 }]);
      expect(await activeSlots("db")).toBe(1);

      const second = await takeLease(["db"]);
      expect(second).toMatchObject({ status: 423, body: { detail: "Locked" } });
      expect(second.headers.get("retry-after")).toBe("2.0");

      expect((await api.post(`${BASE}/decrement-with-lease`, { lease_id: first.body.lease_id })).status).toBe(204);
      expect(await activeSlots("db")).toBe(0);
      expect((await takeLease(["db"])).status).toBe(200);
    });

    it("takes the slots on every named limit or on none", async () => {
      await create("narrow", 1);
      await create("wide", 5);
      expect((await takeLease(["narrow"])).status).toBe(200);
      expect((await takeLease(["wide", "narrow"])).status).toBe(423);
      expect(await activeSlots("wide")).toBe(0);
    });

    it("releases exactly the slots the lease took", async () => {
      await create("db", 5);
      const lease = await takeLease(["db"], 3);
      await api.post(`${BASE}/increment`, { names: ["db"], slots: 1 });
      expect(await activeSlots("db")).toBe(4);
      await api.post(`${BASE}/decrement-with-lease`, { lease_id: lease.body.lease_id });
      expect(await activeSlots("db")).toBe(1);
    });

    it("treats releasing an unknown or already released lease as done", async () => {
      await create("db", 2);
      const lease = await takeLease(["db"]);
      expect((await api.post(`${BASE}/decrement-with-lease`, { lease_id: lease.body.lease_id })).status).toBe(204);
      expect((await api.post(`${BASE}/decrement-with-lease`, { lease_id: lease.body.lease_id })).status).toBe(204);
      expect((await api.post(`${BASE}/decrement-with-lease`, { lease_id: UNKNOWN_ID })).status).toBe(204);
      expect(await activeSlots("db")).toBe(0);
    });

    it("renews a live lease and answers 410 Gone for an unknown or released one", async () => {
      await create("db", 1);
      const lease = await takeLease(["db"]);
      expect((await api.post(`${BASE}/leases/${lease.body.lease_id}/renew`, { lease_duration: 600 })).status).toBe(204);
      expect((await api.post(`${BASE}/leases/${lease.body.lease_id}/renew`)).status).toBe(204);
      const gone = { status: 410, body: { detail: "Lease not found - it may have expired or been revoked" } };
      expect(await api.post(`${BASE}/leases/${UNKNOWN_ID}/renew`, { lease_duration: 600 })).toMatchObject(gone);
      await api.post(`${BASE}/decrement-with-lease`, { lease_id: lease.body.lease_id });
      expect(await api.post(`${BASE}/leases/${lease.body.lease_id}/renew`, { lease_duration: 600 })).toMatchObject(gone);
    });

    it("refuses lease durations outside 60 s to one day", async () => {
      await create("db", 5);
      for (const lease_duration of [59, 86_401]) {
        const response = await takeLease(["db"], 1, { lease_duration });
        expect(response.status).toBe(422);
        expect((response.body as unknown as ValidationError).exception_detail[0]).toMatchObject({ loc: ["body", "lease_duration"] });
      }
      expect((await takeLease(["db"], 1, { lease_duration: 60 })).status).toBe(200);
      const lease = await takeLease(["db"], 1, { lease_duration: 86_400 });
      expect((await api.post(`${BASE}/leases/${lease.body.lease_id}/renew`, { lease_duration: 30 })).status).toBe(422);
    });

    it("accepts a holder without echoing it, and refuses a malformed one", async () => {
      await create("db", 5);
      const held = await takeLease(["db"], 1, { holder: { type: "flow_run", id: UNKNOWN_ID } });
      expect(held.status).toBe(200);
      expect(Object.keys(held.body).sort()).toEqual(["lease_id", "limits"]);
      expect((await takeLease(["db"], 1, { holder: { type: "robot", id: UNKNOWN_ID } })).status).toBe(422);
      expect((await takeLease(["db"], 1, { holder: { type: "task_run" } })).status).toBe(422);
    });
  });

  describe("time", () => {
    // The devserver reads the clock once per request (new Date()); faking only Date moves that
    // clock without touching timers or sockets, so expiry is observed without waiting.
    const T0 = new Date("2030-01-01T00:00:00.000Z");
    const moveTo = (seconds: number): void => {
      vi.setSystemTime(new Date(T0.getTime() + seconds * 1000));
    };

    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["Date"], now: T0 });
    });

    it("releases an expired lease's slots and then answers 410 to its renewal", async () => {
      await create("db", 1);
      const lease = await takeLease(["db"], 1, { lease_duration: 60 });
      moveTo(59);
      expect((await takeLease(["db"])).status).toBe(423);
      moveTo(61);
      expect(await activeSlots("db")).toBe(0);
      expect((await api.post(`${BASE}/leases/${lease.body.lease_id}/renew`, { lease_duration: 60 })).status).toBe(410);
      expect((await takeLease(["db"])).status).toBe(200);
    });

    it("keeps a renewed lease past its first expiry, until the renewed one", async () => {
      await create("db", 1);
      const lease = await takeLease(["db"], 1, { lease_duration: 60 });
      moveTo(50);
      expect((await api.post(`${BASE}/leases/${lease.body.lease_id}/renew`, { lease_duration: 120 })).status).toBe(204);
      moveTo(169);
      expect(await activeSlots("db")).toBe(1);
      moveTo(171);
      expect(await activeSlots("db")).toBe(0);
    });

    it("ends a lease renewed for less time than it had left at the shorter expiry", async () => {
      await create("db", 1);
      const lease = await takeLease(["db"], 1, { lease_duration: 600 });
      expect(await activeSlots("db")).toBe(1);
      moveTo(10);
      expect((await api.post(`${BASE}/leases/${lease.body.lease_id}/renew`, { lease_duration: 60 })).status).toBe(204);
      moveTo(71);
      expect(await activeSlots("db")).toBe(0);
    });

    it("lets a rate limit admit again once its slots have decayed", async () => {
      await create("api", 2, { slot_decay_per_second: 1 });
      expect((await api.post(`${BASE}/increment`, { names: ["api"], slots: 2, mode: "rate_limit" })).status).toBe(200);
      const refused = await api.post(`${BASE}/increment`, { names: ["api"], slots: 1, mode: "rate_limit" });
      expect(refused.status).toBe(423);
      expect(refused.headers.get("retry-after")).toBe("1.0");
      moveTo(2);
      expect((await api.post(`${BASE}/increment`, { names: ["api"], slots: 1, mode: "rate_limit" })).status).toBe(200);
    });
  });
});
