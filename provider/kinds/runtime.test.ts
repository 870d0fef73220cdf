import { describe, expect, it } from "vitest";
import { ConflictError, NetworkError, RateLimitedError, ServerError, ValidationError } from "../client/errors.js";
import { createSafely } from "./runtime.js";

const request = { method: "POST", route: "/things/" };

/** A create whose attempts fail with `failures` in turn, then succeed; a lookup that finds `found`. */
function scripted(failures: unknown[], found?: string) {
  const calls = { attempts: 0, lookups: 0, sleeps: 0 };
  const create = createSafely<string>({
    attempt: async () => {
      calls.attempts++;
      const failure = failures.shift();
      if (failure) throw failure;
      return "created";
    },
    lookup: async () => {
      calls.lookups++;
      return found;
    },
    sleep: async () => {
      calls.sleeps++;
    },
    random: () => 0,
  });
  return { create, calls };
}

describe("createSafely", () => {
  it.each([
    ["a 503 the client could not get past (rolled back, nothing to find)", new ServerError(request, 503)],
    ["a 429 the client could not get past", new RateLimitedError(request, undefined, 1)],
    ["a 500 (a server bug)", new ServerError(request, 500)],
    ["a 422", new ValidationError(request, 422, [])],
    ["a connection that never opened", new NetworkError(request, new Error("ECONNREFUSED"), false, "not-sent")],
  ])("throws %s without looking the object up", async (_name, error) => {
    const { create, calls } = scripted([error], "existing");
    await expect(create).rejects.toBe(error);
    expect(calls).toEqual({ attempts: 1, lookups: 0, sleeps: 0 });
  });

  it.each([
    ["a connection cut after the body was sent", new NetworkError(request, new Error("socket hang up"))],
    ["a timeout", new NetworkError(request, new Error("timed out"), true)],
    ["a proxy's 504", new ServerError(request, 504)],
    ["a stale connection the client did not send again", new NetworkError(request, new Error("other side closed"), false, "stale-socket", 5)],
  ])("adopts what an attempt made when its outcome is unknown: %s", async (_name, error) => {
    const { create, calls } = scripted([error], "made-by-the-lost-attempt");
    await expect(create).resolves.toBe("made-by-the-lost-attempt");
    expect(calls).toEqual({ attempts: 1, lookups: 1, sleeps: 0 });
  });

  it("tries again after an unknown outcome when the lookup finds nothing", async () => {
    const { create, calls } = scripted([new NetworkError(request, new Error("reset")), new ServerError(request, 504)]);
    await expect(create).resolves.toBe("created");
    expect(calls).toEqual({ attempts: 3, lookups: 2, sleeps: 2 });
  });

  it("gives up after a few unknown outcomes in a row", async () => {
    const failures = Array.from({ length: 20 }, () => new NetworkError(request, new Error("reset")));
    const { create, calls } = scripted(failures);
    await expect(create).rejects.toBeInstanceOf(NetworkError);
    expect(calls.attempts).toBe(6);
    expect(calls.lookups).toBe(6);
  });

  it("adopts the object on a 409, and throws the 409 when there is nothing to adopt", async () => {
    const adopted = scripted([new ConflictError(request)], "existing");
    await expect(adopted.create).resolves.toBe("existing");
    const conflict = new ConflictError(request);
    const missing = scripted([conflict]);
    await expect(missing.create).rejects.toBe(conflict);
    expect(missing.calls).toEqual({ attempts: 1, lookups: 1, sleeps: 0 });
  });
});
