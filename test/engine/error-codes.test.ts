// Every problem reaches CI as a stable code: each diagnostic of `validate --json` and
// `plan --json`, each failed command's `--json` output and each failure of `apply --json` carries
// a code from ERROR_CODES and says whether running again may help.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FaultConfig } from "../../devserver/faults.js";
import { ERROR_CODES, type ErrorCode } from "../../reconciler/errors.js";
import { mutatingRequests, workdir } from "../support/cli.js";
import { useDevServer } from "../support/devserver.js";
import { cli, declare, ossWorkspace, output, statePath, variable, type Workspace } from "../support/engine.js";

interface JsonDiagnostic {
  severity: string;
  code: string;
  summary: string;
  address?: string;
}

interface JsonFailure {
  error?: { code: string; retryable: boolean; message: string; address?: string };
  diagnostics?: JsonDiagnostic[];
}

const resource = (body: string) => `resource "prefect_variable" "v" {\n${body}\n}\n`;

interface BrokenInput {
  name: string;
  files: Record<string, string>;
  code: ErrorCode;
  /** The address the diagnostic names, when it names one. */
  address?: string;
  env?: Record<string, string>;
  /** Found only once values and the connection are known: by plan, not by validate (offline, unset variables known later). */
  planOnly?: boolean;
}

const BROKEN: BrokenInput[] = [
  { name: "HCL that does not parse", files: { "main.tf": resource('  name = "a"\n  value =') }, code: "CONFIG_SYNTAX" },
  { name: "no configuration at all", files: {}, code: "CONFIG_NOT_FOUND" },
  { name: "a resource type the engine does not manage", files: { "main.tf": 'resource "prefect_varible" "v" {\n  name = "a"\n}\n' }, code: "RESOURCE_TYPE_UNSUPPORTED", address: "prefect_varible.v" },
  { name: "an attribute the kind does not have", files: { "main.tf": resource('  name = "a"\n  valeu = 1') }, code: "ATTRIBUTE_INVALID", address: "prefect_variable.v" },
  { name: "a reference to an undeclared resource", files: { "main.tf": resource("  name = prefect_variable.other.name\n  value = 1") }, code: "REFERENCE_UNDECLARED", address: "prefect_variable.v" },
  { name: "a reference to an undeclared variable", files: { "main.tf": resource("  name = var.nope\n  value = 1") }, code: "REFERENCE_UNDECLARED", address: "prefect_variable.v" },
  { name: "an operator", files: { "main.tf": resource('  name = "a"\n  value = 1 + 2') }, code: "CONFIG_UNSUPPORTED", address: "prefect_variable.v" },
  { name: "a module block", files: { "main.tf": 'module "m" {\n  source = "./m"\n}\n' }, code: "CONFIG_UNSUPPORTED" },
  { name: "a function given a value it cannot take", files: { "main.tf": resource('  name = jsondecode(1)\n  value = 1') }, code: "EXPRESSION_INVALID", address: "prefect_variable.v" },
  {
    name: "resources that refer to each other",
    files: { "main.tf": 'resource "prefect_variable" "a" {\n  name = "a"\n  value = prefect_variable.b.id\n}\nresource "prefect_variable" "b" {\n  name = "b"\n  value = prefect_variable.a.id\n}\n' },
    code: "CONFIG_CYCLE",
  },
  { name: "one address in two files", files: { "a.tf": resource('  name = "a"\n  value = 1'), "b.tf": resource('  name = "b"\n  value = 2') }, code: "CONFIG_DUPLICATE", address: "prefect_variable.v" },
  { name: "a count that is not a number", files: { "main.tf": resource('  count = "two"\n  name = "a"\n  value = 1') }, code: "CONFIG_INVALID", address: "prefect_variable.v" },
  { name: "a required variable without a value", files: { "main.tf": 'variable "token" {\n  type = string\n}\n' + resource("  name = var.token\n  value = 1") }, code: "VARIABLE_MISSING", planOnly: true },
  { name: "a variable value of the wrong type", files: { "main.tf": 'variable "n" {\n  type = number\n}\n' + resource('  name = "a"\n  value = var.n') }, env: { TF_VAR_n: "many" }, code: "VARIABLE_INVALID" },
  { name: "a provider endpoint that is not a URL", files: { "main.tf": 'provider "prefect" {\n  endpoint = "not a url"\n}\n' + resource('  name = "a"\n  value = 1') }, code: "CONNECTION_INVALID", planOnly: true },
];

/** The diagnostics of a failed `plan --json`/`validate --json`: the plan's, or the failure document's. */
function diagnosticsOf(stdout: string): { failure: JsonFailure; diagnostics: JsonDiagnostic[] } {
  const parsed = JSON.parse(stdout) as JsonFailure;
  return { failure: parsed, diagnostics: parsed.diagnostics ?? [] };
}

function expectCoded(diagnostics: JsonDiagnostic[]): void {
  for (const diagnostic of diagnostics) expect(Object.keys(ERROR_CODES), JSON.stringify(diagnostic)).toContain(diagnostic.code);
}

describe("error codes in --json output", () => {
  const dev = useDevServer();
  const ws = (): Workspace => ossWorkspace(dev.server);
  let counter = 0;
  const unique = (base: string) => `codes-${base}-${++counter}`;

  it.each(BROKEN.map((item) => [item.name, item] as const))("plan --json on %s: exit 1, every diagnostic coded, nothing changed", async (_name, item) => {
    const dir = workdir(item.files);
    dev.server.resetRequestCounts();
    const result = await cli(dir, ws(), ["plan", "--json"], item.env);
    expect(result.code, output(result)).toBe(1);
    const { failure, diagnostics } = diagnosticsOf(result.stdout);
    expect(diagnostics.length, result.stdout).toBeGreaterThan(0);
    expectCoded(diagnostics);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    expect(errors.map((diagnostic) => diagnostic.code), result.stdout).toContain(item.code);
    if (item.address) expect(errors.find((diagnostic) => diagnostic.code === item.code)?.address).toBe(item.address);
    // A failure that stopped the command before a plan says so with its own code too.
    if (failure.error) expect(failure.error).toMatchObject({ code: errors[0]!.code, retryable: false });
    expect(mutatingRequests(dev.server.requestCounts())).toEqual({});
  });

  it.each(BROKEN.filter((item) => !item.planOnly).map((item) => [item.name, item] as const))("validate --json on %s: every diagnostic coded", async (_name, item) => {
    const result = await cli(workdir(item.files), ws(), ["validate", "--json"], item.env);
    expect(result.code, output(result)).toBe(1);
    const { diagnostics } = diagnosticsOf(result.stdout);
    expectCoded(diagnostics);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === "error").map((diagnostic) => diagnostic.code)).toContain(item.code);
  });

  it("an unowned object blocking a create is RESOURCE_EXISTS, at its address", async () => {
    const name = unique("exists");
    const created = await ws().api.post("/variables/", { name, value: 1 });
    expect(created.status).toBe(201);
    const dir = workdir();
    declare(dir, { variables: { v: variable(name, 1) } });
    const result = await cli(dir, ws(), ["plan", "--json"]);
    expect(result.code, output(result)).toBe(1);
    const { diagnostics } = diagnosticsOf(result.stdout);
    expectCoded(diagnostics);
    expect(diagnostics.find((diagnostic) => diagnostic.code === "RESOURCE_EXISTS")?.address).toBe("prefect_variable.v");
  });

  it("a held state lock is STATE_LOCKED and retryable", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("locked"), 1) } });
    // A holder on another host is never taken for dead.
    writeFileSync(`${statePath(dir)}.lock`, JSON.stringify({ who: "alice@elsewhere", pid: 1, host: "elsewhere.invalid", operation: "apply", since: new Date().toISOString(), token: "held" }));
    const result = await cli(dir, ws(), ["plan", "--json"]);
    expect(result.code, output(result)).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: "STATE_LOCKED", retryable: true } });
    expect(result.stderr).toContain("state locked by alice@elsewhere");
  });

  it("an unreachable Prefect is PREFECT_UNAVAILABLE and retryable", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("down"), 1) } });
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    const down: Workspace = { ...ws(), env: { PREFECT_API_URL: "http://127.0.0.1:9/api", PREFECT_CLIENT_MAX_RETRIES: "0" } };
    const result = await cli(dir, down, ["--backend", "workspace", "state", "list", "--json"]);
    expect(result.code, output(result)).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: "PREFECT_UNAVAILABLE", retryable: true } });
  });

  it.each<[string, ErrorCode, boolean, FaultConfig | undefined]>([
    ["a value Prefect refuses (422)", "PREFECT_REJECTED", false, undefined],
    ["a 500", "PREFECT_SERVER_ERROR", false, { rules: [{ type: "error", ratio: 1, statuses: [500], route: "POST /variables/" }] }],
    ["a 503 that outlasts the retries", "PREFECT_UNAVAILABLE", true, { rules: [{ type: "error", ratio: 1, statuses: [503], route: "POST /variables/" }] }],
  ])("apply --json reports %s as %s (retryable: %s) at its address", async (_name, code, retryable, faults) => {
    const dir = workdir();
    // Prefect refuses variable values over 5000 characters.
    const value = faults ? 1 : "x".repeat(6000);
    declare(dir, { variables: { v: variable(unique("apply"), value) } });
    if (faults) dev.server.setFaults(faults);
    try {
      const result = await cli(dir, ws(), ["apply", "--auto-approve", "--json"], { PREFECT_CLIENT_MAX_RETRIES: "0" });
      expect(result.code, output(result)).toBe(1);
      const parsed = JSON.parse(result.stdout) as { status: string; failed: { code: string; retryable: boolean; address: string }[] };
      expect(parsed.status).toBe("failed");
      expect(parsed.failed).toEqual([expect.objectContaining({ code, retryable, address: "prefect_variable.v" })]);
    } finally {
      dev.server.clearFaults();
    }
  });

  it("an output that cannot be computed says why with a code, and `output NAME` fails with it", async () => {
    const dir = workdir({ "main.tf": resource(`  name = "${unique("out")}"\n  value = 1`) + 'output "id" {\n  value = prefect_variable.v.id\n}\noutput "missing" {\n  value = var.nope\n}\n' });
    const listed = await cli(dir, ws(), ["output", "--json"]);
    expect(listed.code, output(listed)).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ missing: { value: null, code: "REFERENCE_UNDECLARED" } });
    const one = await cli(dir, ws(), ["output", "missing", "--json"]);
    expect(JSON.parse(one.stdout)).toMatchObject({ value: null, code: "REFERENCE_UNDECLARED" });
    const text = await cli(dir, ws(), ["output", "missing"]);
    expect(text.code, output(text)).toBe(1);
    expect(text.stderr).toContain('output "missing" is not known');
  });

  it("a stale saved plan is PLAN_STALE, and nothing is applied", async () => {
    const dir = workdir();
    declare(dir, { variables: { v: variable(unique("stale"), 1) } });
    expect((await cli(dir, ws(), ["plan", "--out", "saved.json"])).code).toBe(0);
    declare(dir, { variables: { v: variable(unique("stale"), 2) } });
    const result = await cli(dir, ws(), ["apply", "--plan", "saved.json", "--json"]);
    expect(result.code, output(result)).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: "PLAN_STALE", retryable: false } });
  });
});
