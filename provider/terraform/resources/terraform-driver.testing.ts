// Driving a ResourceProvider the way Terraform core does (validate, plan, apply, refresh,
// import), with core's own checks: a planned known value must come back unchanged from apply
// ("Provider produced inconsistent result after apply"), and a plan must keep config values.
import { expect } from "vitest";
import { attributeFactsOf } from "../../kinds/kind.js";
import { kindFor } from "../../kinds/registry.js";
import { UNKNOWN, type PlanResponse, type ResourceProvider, type TfDiagnostic, type TfObject, type TfValue } from "../plugin/contract.js";
import { attributesOf, isSetType, tfEqual, tfOf } from "./values.js";

/** A declaration (JSON attributes as values, nested objects partial) as the TfObject Terraform would send. */
export function tfConfig(type: string, declaration: Record<string, unknown>): TfObject {
  return Object.fromEntries(attributesOf(kindFor(type)!).map(([name, facts]) => [name, declaration[name] === UNKNOWN ? UNKNOWN : tfOf(facts, declaration[name])]));
}

const errors = (diagnostics: TfDiagnostic[]): TfDiagnostic[] => diagnostics.filter((d) => d.severity === "error");

function assertNoErrors(what: string, diagnostics: TfDiagnostic[]): void {
  expect(errors(diagnostics), `${what}: ${JSON.stringify(diagnostics)}`).toEqual([]);
}

/** Whether a plan changes nothing: every planned value equals the prior one (sets as sets). */
export function isNoOp(type: string, plan: PlanResponse, prior: TfObject): boolean {
  const facts = attributeFactsOf(kindFor(type)!);
  return plan.requiresReplace.length === 0 && Object.entries(facts).every(([name, f]) => tfEqual(plan.planned?.[name] ?? null, prior[name] ?? null, isSetType(f)));
}

/** The attributes a plan changes (for failure messages). */
export function changesOf(type: string, plan: PlanResponse, prior: TfObject): string[] {
  const facts = attributeFactsOf(kindFor(type)!);
  return Object.entries(facts).filter(([name, f]) => !tfEqual(plan.planned?.[name] ?? null, prior[name] ?? null, isSetType(f))).map(([name]) => name);
}

/** Core's rule: a plan keeps every value the config sets (computed nested values may fill nulls). */
function expectKeeps(config: TfValue, planned: TfValue, path: (string | number)[]): void {
  if (config === null) return;
  if (config !== UNKNOWN && typeof config === "object" && planned !== null && planned !== UNKNOWN && typeof planned === "object") {
    if (Array.isArray(config)) {
      expect((planned as TfValue[]).length, `plan keeps ${path.join(".")}`).toBe(config.length);
      if (config.every((item) => item === null || typeof item !== "object")) {
        expect(planned, `plan keeps ${path.join(".")}`).toEqual(config);
        return;
      }
    }
    for (const [key, value] of Object.entries(config)) expectKeeps(value, (planned as Record<string, TfValue>)[key] ?? null, [...path, key]);
    return;
  }
  expect(planned, `plan keeps ${path.join(".")}: ${JSON.stringify(config)} -> ${JSON.stringify(planned)}`).toEqual(config);
}

/** Whether an applied value is one the planned value allows (UNKNOWN anywhere allows anything there). */
function conforms(planned: TfValue, applied: TfValue, asSet: boolean): boolean {
  if (planned === UNKNOWN) return true;
  if (planned !== null && applied !== null && typeof planned === "object" && typeof applied === "object") {
    if (Array.isArray(planned) !== Array.isArray(applied)) return false;
    if (Array.isArray(planned)) {
      const items = applied as TfValue[];
      if (asSet) return tfEqual(planned, applied, true);
      return planned.length === items.length && planned.every((item, i) => conforms(item, items[i] ?? null, false));
    }
    const record = applied as Record<string, TfValue>;
    return Object.entries(planned).every(([key, item]) => conforms(item, record[key] ?? null, false));
  }
  return tfEqual(planned, applied, asSet);
}

function assertConsistent(planned: TfObject, state: TfObject, type: string): void {
  const facts = attributeFactsOf(kindFor(type)!);
  for (const [name, value] of Object.entries(planned)) {
    if (value === UNKNOWN) continue;
    expect(conforms(value, state[name] ?? null, isSetType(facts[name]!)), `${type}.${name}: planned ${JSON.stringify(value)}, applied ${JSON.stringify(state[name])}`).toBe(true);
  }
  for (const value of Object.values(state)) expect(value).not.toBe(UNKNOWN);
}

export class TerraformDriver {
  constructor(private readonly provider: ResourceProvider) {}

  async plan(type: string, declaration: Record<string, unknown>, prior: TfObject | null): Promise<PlanResponse> {
    const config = tfConfig(type, declaration);
    assertNoErrors("validate", this.provider.validateResourceConfig(type, config));
    const plan = await this.provider.planResource(type, { prior, proposed: config, config });
    assertNoErrors("plan", plan.diagnostics);
    for (const [name, value] of Object.entries(config)) expectKeeps(value, plan.planned?.[name] ?? null, [name]);
    return plan;
  }

  /** plan + apply, replacing (destroy then create) when the plan says so. */
  async apply(type: string, declaration: Record<string, unknown>, prior: TfObject | null): Promise<{ state: TfObject; plan: PlanResponse }> {
    const config = tfConfig(type, declaration);
    let plan = await this.plan(type, declaration, prior);
    let before = prior;
    if (prior && plan.requiresReplace.length) {
      await this.destroy(type, prior);
      plan = await this.plan(type, declaration, null);
      before = null;
    }
    const applied = await this.provider.applyResource(type, { prior: before, planned: plan.planned, config });
    assertNoErrors("apply", applied.diagnostics);
    expect(applied.state).not.toBeNull();
    assertConsistent(plan.planned!, applied.state!, type);
    return { state: applied.state!, plan };
  }

  async destroy(type: string, prior: TfObject): Promise<void> {
    const applied = await this.provider.applyResource(type, { prior, planned: null, config: null });
    assertNoErrors("destroy", applied.diagnostics);
    expect(applied.state).toBeNull();
  }

  async refresh(type: string, state: TfObject): Promise<TfObject | null> {
    const read = await this.provider.readResource(type, state);
    assertNoErrors("read", read.diagnostics);
    return read.state;
  }

  /** `terraform import` then the refresh that completes the state. */
  async import(type: string, id: string): Promise<TfObject> {
    const imported = await this.provider.importResource(type, id);
    assertNoErrors("import", imported.diagnostics);
    expect(imported.states).toHaveLength(1);
    const state = await this.refresh(type, imported.states[0]!);
    expect(state, `import of ${type} ${id} finds it`).not.toBeNull();
    return state!;
  }

  /** Refresh and plan: expect "No changes". */
  async expectNoChanges(type: string, declaration: Record<string, unknown>, state: TfObject): Promise<TfObject> {
    const refreshed = await this.refresh(type, state);
    expect(refreshed).not.toBeNull();
    const plan = await this.plan(type, declaration, refreshed);
    const changes = changesOf(type, plan, refreshed!);
    expect(changes, `${type} plans no changes: ${changes.map((name) => `${name}: ${JSON.stringify(refreshed![name])} -> ${JSON.stringify(plan.planned?.[name])}`).join("; ")}`).toEqual([]);
    expect(plan.requiresReplace).toEqual([]);
    return refreshed!;
  }
}

export type Declaration = Record<string, TfValue | unknown>;
