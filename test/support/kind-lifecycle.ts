// The lifecycle every kind must pass against a real HTTP API: create -> read -> no changes ->
// update -> read -> no changes -> delete -> read (undefined), plus list and natural-key lookup.
import { expect } from "vitest";
import { diffSpec, type AttributeChange } from "../../provider/kinds/compare.js";
import { parseSpec, type Kind, type KindContext, type Spec } from "../../provider/kinds/kind.js";

/** Parse a declaration or fail the test with the issues. */
export function declare<S extends Spec>(kind: Kind<S, unknown>, raw: Record<string, unknown>): S {
  const parsed = parseSpec(kind, raw);
  if (!parsed.ok) throw new Error(`${kind.type} declaration refused: ${parsed.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.spec;
}

const describeChanges = (changes: AttributeChange[]) =>
  changes.map((c) => `${c.path.join(".")}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join("\n");

/** Assert that the live object reads back as its declaration ("no changes"). */
export function expectNoChanges<S extends Spec, L>(kind: Kind<S, L>, declared: S, live: L): void {
  const changes = diffSpec(kind, declared, kind.toSpec(live));
  expect(changes, `expected no changes, got:\n${describeChanges(changes)}`).toEqual([]);
}

export interface LifecycleCase {
  ctx: KindContext;
  /** The first declaration (raw, as Terraform would give it). */
  create: Record<string, unknown>;
  /** A second declaration of the same object that differs in updatable attributes. */
  update: Record<string, unknown>;
}

/** Run the whole lifecycle; returns the live object after the update, before deletion, for extra checks. */
export async function runLifecycle<S extends Spec, L>(kind: Kind<S, L>, test: LifecycleCase): Promise<void> {
  const { ctx } = test;
  const first = declare(kind, test.create);
  const created = await kind.create(ctx, first);
  const id = kind.idOf(created);
  expect(id).toMatch(/^[0-9a-f-]{36}$/);

  const read = await kind.read(ctx, id);
  expect(read, "read after create").toBeDefined();
  expectNoChanges(kind, first, read as L);

  if (kind.identity(first) !== undefined) {
    const found = await kind.find(ctx, first);
    expect(found && kind.idOf(found), "find by natural key").toBe(id);
    expect(kind.identityOf(read as L)).toBe(kind.identity(first));
  }
  const listed = await kind.list(ctx);
  expect(listed.map((live) => kind.idOf(live)), "list includes the object").toContain(id);

  const second = declare(kind, test.update);
  const pending = diffSpec(kind, second, kind.toSpec(read as L));
  expect(pending.length, "the update declaration differs from the created object").toBeGreaterThan(0);
  expect(pending.filter((change) => change.forceNew), "the update declaration changes no force-new attribute").toEqual([]);
  await kind.update(ctx, id, second, read as L, [...new Set(pending.map((change) => String(change.path[0])))]);
  const updated = await kind.read(ctx, id);
  expect(updated, "read after update").toBeDefined();
  expect(kind.idOf(updated as L), "update keeps the id").toBe(id);
  expectNoChanges(kind, second, updated as L);

  await kind.delete(ctx, id, updated);
  expect(await kind.read(ctx, id), "read after delete").toBeUndefined();
  await kind.delete(ctx, id);
}
