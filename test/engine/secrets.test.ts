// A sensitive value (from a `sensitive = true` variable) never appears in clear anywhere the
// engine writes: plan text, plan JSON, saved plans, the state file and its journal, drift
// reports, progress, debug logs and errors. The state keeps it only as a salted hash.
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { cli, createLive, declare, ossWorkspace, output, readState, stateFilesText, statePath, variable, variablesNamed, type Workspace } from "../support/engine.js";

const SECRET = "s3cr3t-Tr0ub4dor&3-horse-battery";

/** The Terraform variable `token`: sensitive, set from TF_VAR_token. */
const TOKEN_INPUT = { token: { type: "string", sensitive: true } };

/** A configuration whose variable `secret` takes its value from the sensitive `token`. */
function sensitiveConfig(dir: string, name: string): void {
  declare(dir, { inputs: TOKEN_INPUT, variables: { secret: variable(name, "${var.token}"), plain: variable(`${name}-plain`, "visible") } });
}

describe("secrets", () => {
  const dev = useDevServer();
  const ws = (): Workspace => ossWorkspace(dev.server);
  let counter = 0;
  const unique = (base: string) => `secret-${base}-${++counter}`;
  const env = (secret = SECRET) => ({ TF_VAR_token: secret });

  /** Fail naming where the secret leaked. */
  function expectNoSecret(where: string, text: string, secret = SECRET): void {
    expect(text.includes(secret), `${where} shows the secret:\n${text}`).toBe(false);
  }

  it("never shows a sensitive value in plan text, plan JSON, saved plans, apply output or debug logs", async () => {
    const dir = workdir();
    const name = unique("v");
    sensitiveConfig(dir, name);

    const plan = await cli(dir, ws(), ["plan", "--log-level", "debug"], env());
    expect(plan.code, output(plan)).toBe(0);
    expectNoSecret("plan", output(plan));
    expect(plan.stdout).toMatch(/\+ value\s+= \(sensitive value\)/);
    expect(plan.stdout).toContain('"visible"');

    const json = await cli(dir, ws(), ["plan", "--json"], env());
    expectNoSecret("plan --json", json.stdout);
    const parsed = JSON.parse(json.stdout) as { changes: { address: string; after: Record<string, unknown> }[] };
    expect(parsed.changes.find((change) => change.address === "prefect_variable.secret")?.after.value).toBe("(sensitive value)");

    expect((await cli(dir, ws(), ["plan", "--out", "saved.json"], env())).code).toBe(0);
    expectNoSecret("the saved plan", readFileSync(join(dir, "saved.json"), "utf8"));

    const apply = await cli(dir, ws(), ["apply", "--plan", "saved.json", "--log-level", "debug"], env());
    expect(apply.code, output(apply)).toBe(0);
    expectNoSecret("apply", output(apply));
    // It did reach Prefect, where it belongs.
    expect((await variablesNamed(ws(), name))[0]?.value).toBe(SECRET);
  });

  it("keeps only a salted hash of a sensitive value in the state, never the value", async () => {
    const dir = workdir();
    const name = unique("v");
    sensitiveConfig(dir, name);
    expect((await cli(dir, ws(), ["apply", "--auto-approve"], env())).code).toBe(0);

    expectNoSecret("the state", stateFilesText(dir));
    const state = readState(dir);
    const recorded = state.resources["prefect_variable.secret"]!.values.value as { $sensitive: string };
    expect(recorded).toEqual({ $sensitive: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) });
    // Salted: not a plain hash of the value, and not the same in another state.
    const digest = recorded.$sensitive.slice("hmac-sha256:".length);
    expect(digest).not.toBe(createHash("sha256").update(JSON.stringify(SECRET)).digest("hex"));
    expect(digest).not.toBe(createHmac("sha256", "").update(JSON.stringify(SECRET)).digest("hex"));
    expect(state.salt).toMatch(/^[0-9a-f]{32}$/);

    const other = workdir();
    sensitiveConfig(other, unique("v"));
    expect((await cli(other, ws(), ["apply", "--auto-approve"], env())).code).toBe(0);
    const otherState = readState(other);
    expect(otherState.salt).not.toBe(state.salt);
    expect(otherState.resources["prefect_variable.secret"]!.values.value).not.toEqual(recorded);

    const show = await cli(dir, ws(), ["state", "show", "prefect_variable.secret", "--json"]);
    expectNoSecret("state show", show.stdout);
    expect((JSON.parse(show.stdout) as { values: { value: unknown } }).values.value).toBe("(sensitive value)");
    // Another value of the variable is a change, found through the hash alone.
    const changed = await cli(dir, ws(), ["plan", "--detailed-exitcode"], env("another-secret-value"));
    expect(changed.code, output(changed)).toBe(2);
    expectNoSecret("plan of a new secret", output(changed), "another-secret-value");
    expect((await cli(dir, ws(), ["plan", "--detailed-exitcode"], env())).code).toBe(0);
  });

  it("never records a sensitive value in the state of a run that stopped midway", async () => {
    const dir = workdir();
    // A refused create stops the run: its journal and intents are left for the next one.
    declare(dir, { inputs: TOKEN_INPUT, variables: { secret: variable(unique("v"), "${var.token}"), big: variable(unique("big"), "x".repeat(6000)) } });
    const result = await cli(dir, ws(), ["apply", "--auto-approve"], env());
    expect(result.code).toBe(1);
    expectNoSecret("the state and its journal", stateFilesText(dir));
    expectNoSecret("apply output", output(result));
  });

  it("never shows a sensitive value in drift reports, even when it changed outside prefect-gitops", async () => {
    const dir = workdir();
    const name = unique("v");
    sensitiveConfig(dir, name);
    expect((await cli(dir, ws(), ["apply", "--auto-approve"], env())).code).toBe(0);
    const [live] = await variablesNamed(ws(), name);
    const replacement = "hand-typed-replacement-secret";
    await ws().api.patch(`/variables/${live!.id}`, { value: replacement });

    const drift = await cli(dir, ws(), ["drift", "--json"], env());
    expect(drift.code, output(drift)).toBe(2);
    expectNoSecret("drift --json", drift.stdout);
    expectNoSecret("drift --json", drift.stdout, replacement);
    const report = JSON.parse(drift.stdout) as { modified: { address: string; changes: { path: string[]; before: unknown; after: unknown }[] }[] };
    expect(report.modified).toEqual([expect.objectContaining({ address: "prefect_variable.secret", changes: [expect.objectContaining({ path: ["value"], before: "(sensitive value)", after: "(sensitive value)" })] })]);
    const text = await cli(dir, ws(), ["drift"], env());
    expectNoSecret("drift", output(text));
    expectNoSecret("drift", output(text), replacement);
    const plan = await cli(dir, ws(), ["plan"], env());
    expectNoSecret("plan after drift", output(plan));
    expectNoSecret("plan after drift", output(plan), replacement);
  });

  it("never shows a sensitive value in an error, not even in Prefect's answer refusing it", async () => {
    const dir = workdir();
    const name = unique("v");
    // Prefect refuses values over 5000 characters, and its 422 answer echoes the request body.
    const long = `${SECRET}-${"y".repeat(6000)}`;
    sensitiveConfig(dir, name);
    const result = await cli(dir, ws(), ["apply", "--auto-approve", "--log-level", "debug"], env(long));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("prefect_variable.secret");
    expectNoSecret("the error", output(result));
    expectNoSecret("the state", stateFilesText(dir));
  });

  it("never puts a natural key derived from a sensitive value in the plan or the state", async () => {
    const dir = workdir();
    const secretName = `${unique("named")}-${SECRET.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}`;
    declare(dir, { inputs: TOKEN_INPUT, variables: { v: variable("${var.token}", 1) } });
    const plan = await cli(dir, ws(), ["plan"], env(secretName));
    expect(plan.code, output(plan)).toBe(0);
    expectNoSecret("plan", output(plan), secretName);
    const apply = await cli(dir, ws(), ["apply", "--auto-approve"], env(secretName));
    expect(apply.code, output(apply)).toBe(0);
    expectNoSecret("apply", output(apply), secretName);
    expectNoSecret("the state", readFileSync(statePath(dir), "utf8"), secretName);
    expectNoSecret("state list", (await cli(dir, ws(), ["state", "list", "--json"])).stdout, secretName);
    const again = await cli(dir, ws(), ["plan", "--detailed-exitcode"], env(secretName));
    expect(again.code, output(again)).toBe(0);
  });

  it("never records a natural key derived from a sensitive value when importing", async () => {
    const dir = workdir();
    const secretName = `${unique("imported")}-${SECRET.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}`;
    const id = await createLive(ws(), "/variables/", { name: secretName, value: 1 });
    declare(dir, { inputs: TOKEN_INPUT, variables: { v: variable("${var.token}", 1) } });
    const imported = await cli(dir, ws(), ["import", "prefect_variable.v", id], env(secretName));
    expect(imported.code, output(imported)).toBe(0);
    expect(readState(dir).resources["prefect_variable.v"]?.id).toBe(id);
    expectNoSecret("import", output(imported), secretName);
    expectNoSecret("the state", stateFilesText(dir), secretName);
    const plan = await cli(dir, ws(), ["plan", "--detailed-exitcode"], env(secretName));
    expect(plan.code, output(plan)).toBe(0);
  });

  it("never records a natural key derived from a sensitive value with an interrupted create", async () => {
    const dir = workdir();
    const secretName = `${unique("named")}-${SECRET.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}`;
    // The create is refused (value too long): its intent stays in the state for the next run.
    declare(dir, { inputs: TOKEN_INPUT, variables: { v: variable("${var.token}", "z".repeat(6000)) } });
    const apply = await cli(dir, ws(), ["apply", "--auto-approve"], env(secretName));
    expect(apply.code).toBe(1);
    expect(Object.keys(readState(dir).pending)).toEqual(["prefect_variable.v"]);
    expectNoSecret("apply", output(apply), secretName);
    expectNoSecret("the state", stateFilesText(dir), secretName);
  });
});
