import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorForStatus } from "../provider/client/client.js";
import { ConfigurationError, isRetryable as clientRetryable, NetworkError } from "../provider/client/errors.js";
import { UnknownBlockTypeError } from "../provider/kinds/block/errors.js";
import { ObjectGoneError } from "../provider/kinds/runtime.js";
import { ExpressionError } from "./config/expressions.js";
import { SourceError } from "./config/sources.js";
import { DiagnosticsError, error, formatDiagnostic, warning } from "./diagnostics.js";
import { codeLine, EngineError, ERROR_CODES, errorCode, errorJson, isRetryable, toEngineError, type ErrorCode } from "./errors.js";
import { StateError, StateLockedError } from "./state/model.js";

const request = { method: "POST", route: "/work_pools/" };
const answer = (status: number) => errorForStatus(request, status, { detail: "no" }, {});
const fsError = Object.assign(new Error("EACCES: permission denied, open 'x'"), { code: "EACCES", syscall: "open" });

describe("errorCode and isRetryable", () => {
  it.each<[string, unknown, ErrorCode, boolean]>([
    ["a connection refused", new NetworkError(request, new Error("ECONNREFUSED"), false, "not-sent"), "PREFECT_UNAVAILABLE", true],
    ["a timeout", new NetworkError(request, new Error("timeout"), true), "PREFECT_UNAVAILABLE", true],
    ["a 503 (SQLite busy)", answer(503), "PREFECT_UNAVAILABLE", true],
    ["a 502", answer(502), "PREFECT_UNAVAILABLE", true],
    ["a proxy's 504", answer(504), "PREFECT_UNAVAILABLE", true],
    ["a 429", answer(429), "PREFECT_UNAVAILABLE", true],
    ["a 408", answer(408), "PREFECT_UNAVAILABLE", true],
    ["a 500", answer(500), "PREFECT_SERVER_ERROR", false],
    ["a 401", answer(401), "PREFECT_AUTH", false],
    ["a 403", answer(403), "PREFECT_AUTH", false],
    ["a 404", answer(404), "PREFECT_NOT_FOUND", false],
    ["a 409", answer(409), "PREFECT_REJECTED", false],
    ["a 422", answer(422), "PREFECT_REJECTED", false],
    ["a 423", answer(423), "PREFECT_REJECTED", false],
    ["a 418", answer(418), "PREFECT_REJECTED", false],
    ["a missing PREFECT_API_URL", new ConfigurationError("no URL"), "CONNECTION_INVALID", false],
    ["the state lock held", new StateLockedError(undefined, "lock file x"), "STATE_LOCKED", true],
    ["a damaged state", new StateError("not JSON"), "STATE_INVALID", false],
    ["an unwritable state", new StateError("cannot write", { code: "STATE_IO" }), "STATE_IO", false],
    ["a bad expression", new ExpressionError("unexpected", "${a +}"), "EXPRESSION_INVALID", false],
    ["a bad file", new SourceError("main.tf", "is not valid HCL"), "CONFIG_SYNTAX", false],
    ["an unknown block type", new UnknownBlockTypeError("nope", ["secret"], ""), "BLOCK_TYPE_UNKNOWN", false],
    ["an object deleted meanwhile", new ObjectGoneError("work pool 1", "while it was being updated"), "PREFECT_NOT_FOUND", false],
    ["a file system error", fsError, "FILE_IO", false],
    ["a plain Error (a bug)", new Error("boom"), "INTERNAL", false],
    ["a thrown string", "boom", "INTERNAL", false],
    ["undefined", undefined, "INTERNAL", false],
    ["an Error caused by a 503", new Error("wrapped", { cause: answer(503) }), "PREFECT_UNAVAILABLE", true],
    ["an Error caused by an Error caused by a lock", new Error("a", { cause: new Error("b", { cause: new StateLockedError(undefined, "x") }) }), "STATE_LOCKED", true],
  ])("%s is %s (retryable: %s)", (_name, value, code, retryable) => {
    expect(errorCode(value)).toBe(code);
    expect(isRetryable(value)).toBe(retryable);
  });

  it("agrees with the client's retry rule for every HTTP error status", () => {
    for (let status = 400; status < 600; status++) {
      const caught = answer(status);
      expect(isRetryable(caught), `status ${status}`).toBe(clientRetryable(caught));
      expect(errorCode(caught) === "PREFECT_UNAVAILABLE", `status ${status}`).toBe(clientRetryable(caught));
    }
  });

  it("does not loop on a cause cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorCode(a)).toBe("INTERNAL");
  });
});

describe("DiagnosticsError", () => {
  it.each<[string, ReturnType<typeof error>[], ErrorCode, boolean]>([
    ["takes the first error's code", [warning("CONFIG_EMPTY", "w"), error("VARIABLE_MISSING", "a"), error("CONFIG_CYCLE", "b")], "VARIABLE_MISSING", false],
    ["is retryable when every error is", [error("LIVE_READ_FAILED", "a"), error("LIVE_READ_FAILED", "b")], "LIVE_READ_FAILED", true],
    ["is terminal when one error is", [error("LIVE_READ_FAILED", "a"), error("CONFIG_INVALID", "b")], "LIVE_READ_FAILED", false],
  ])("%s", (_name, diagnostics, code, retryable) => {
    const thrown = new DiagnosticsError(diagnostics);
    expect(thrown.code).toBe(code);
    expect(errorCode(thrown)).toBe(code);
    expect(isRetryable(thrown)).toBe(retryable);
  });

  it("carries the first error's address and attribute", () => {
    const thrown = new DiagnosticsError([error("ATTRIBUTE_INVALID", "bad", { address: "prefect_work_pool.a", attribute: "type" })]);
    expect([thrown.address, thrown.attribute]).toEqual(["prefect_work_pool.a", "type"]);
  });
});

describe("toEngineError and errorJson", () => {
  it("wraps any value with its code, the place and the cause", () => {
    const cause = answer(503);
    const wrapped = toEngineError(cause, { address: "prefect_flow.f" });
    expect(wrapped).toBeInstanceOf(EngineError);
    expect(wrapped.cause).toBe(cause);
    expect([wrapped.code, wrapped.retryable, wrapped.address, wrapped.message]).toEqual(["PREFECT_UNAVAILABLE", true, "prefect_flow.f", cause.message]);
  });

  it("keeps an engine error that already says where it happened", () => {
    const own = new EngineError("ATTRIBUTE_INVALID", "bad", { address: "prefect_flow.f", attribute: "name" });
    expect(toEngineError(own, { address: "prefect_flow.g" })).toBe(own);
  });

  it("adds the address to an engine error without one, keeping its attribute", () => {
    const own = new EngineError("DEPENDENCY_FAILED", "unknown", { attribute: "flow_id" });
    expect(errorJson(own, { address: "prefect_deployment.d" })).toEqual({ code: "DEPENDENCY_FAILED", retryable: true, message: "unknown", address: "prefect_deployment.d", attribute: "flow_id" });
  });

  it("never puts the cause or a stack in the JSON form", () => {
    const json = errorJson(new Error("boom", { cause: new Error("secret body") }));
    expect(Object.keys(json).sort()).toEqual(["code", "message", "retryable"]);
  });
});

describe("codes in text output", () => {
  it.each<[ErrorCode, string]>([
    ["STATE_LOCKED", "code: STATE_LOCKED (retryable)"],
    ["CONFIG_SYNTAX", "code: CONFIG_SYNTAX"],
  ])("%s reads %s", (code, text) => {
    expect(codeLine(code)).toBe(text);
  });

  it("ends every formatted diagnostic with its code", () => {
    const text = formatDiagnostic(warning("CONFIG_EMPTY", "The configuration declares no resources", { detail: "Add some." }));
    expect(text.split("\n").at(-1)).toBe("  code: CONFIG_EMPTY");
  });
});

const ROOT = join(import.meta.dirname, "..");

/** Product sources: every .ts file of reconciler/ and provider/ but tests and generated code. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.includes(`${join("provider", "generated")}`));
}

describe("ERROR_CODES", () => {
  it("says what every code means", () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(info.meaning.length, code).toBeGreaterThan(10);
    }
  });

  it("are all listed in README's Error codes table, with whether they are retryable", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Error codes"));
    const rows = new Map([...section.matchAll(/^\| `([A-Z_]+)` \| (yes|no) \|/gm)].map((match) => [match[1], match[2] === "yes"]));
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, info] of Object.entries(ERROR_CODES)) expect(rows.get(code), code).toBe(info.retryable);
  });

  it("are each emitted somewhere (a diagnostic, a thrown error, or a mapping of the client's errors)", () => {
    const text = [...sources("reconciler"), ...sources("provider")].map((path) => readFileSync(path, "utf8")).join("\n");
    const unused = Object.keys(ERROR_CODES).filter((code) => !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });
});
