// The kind contract: what every resource kind (prefect_work_pool, prefect_deployment, ...) is
// and how it is read and written. A kind has two halves: its schema (`schema.ts`: attributes
// with their facts, identity, cross-attribute rules; no HTTP, so constructs can use it) and
// its API (`api.ts`: list/read/create/update/delete and live -> spec through PrefectClient).
import { z } from "zod";
import type { PrefectClient } from "../client/client.js";
import { factsOf, type AttributeFacts } from "./attributes.js";
import type { DeclarationWriter } from "./declaration.js";

/** A declared or live object in the declared shape: Terraform attribute names to values. */
export type Spec = Record<string, unknown>;

/** A problem with a declaration: the attribute path and what is wrong with it. */
export interface SpecIssue {
  path: (string | number)[];
  message: string;
}

export interface KindSchema<S extends Spec = Spec> {
  /** The Terraform type name, as the official provider names it. */
  readonly type: string;
  /** Prefect's noun for the object, for messages ("work pool"). */
  readonly title: string;
  /** One short word for the object, for identifiers made of nothing usable ("pool"; import names a resource `pool_2`). */
  readonly noun: string;
  /** One paragraph for docs and the Terraform schema. */
  readonly description: string;
  /** The schema version (the official provider's, so states move between providers). */
  readonly version: number;
  /** Only Prefect Cloud serves this kind (webhooks). */
  readonly cloudOnly?: boolean;
  /** Every attribute, declared and computed, with its facts. */
  readonly attributes: Readonly<Record<keyof S & string, z.ZodType>>;
  /** The natural key of a declared object, used to find it live; `undefined` when it has none (automations, webhooks) or parts are not known yet. */
  identity(spec: S): string | undefined;
  /** A short human name for messages: `work pool "etl"`. */
  label(spec: S): string;
  /** Rules across attributes (exactly one of, conflicts with...), run after each attribute validated. */
  check?(spec: S): SpecIssue[];
  /**
   * Objects Prefect creates by itself along with their parent (a work pool's `default` queue):
   * a declaration matching one adopts it without `--adopt`.
   */
  adoptImplicitly?(spec: S): boolean;
}

/** Per-run facilities shared by all kinds: the client, and a memo for lookups several kinds need. */
export interface KindContext {
  readonly client: PrefectClient;
  /** Load something once per run (the block type catalog, all deployments for their schedules...). */
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Forget a memoized value (after a write that changes it). */
  forget(keyPrefix: string): void;
}

/**
 * What a run reads of a kind when it reads only what the stack owns or declares: the objects it
 * owns, by id, and the declared ones it does not own, by name (for adoption and conflict checks).
 */
export interface ReadScope {
  /** Ids of the objects the state owns. */
  ids: string[];
  /** Names of the declared objects to look for (every object with one of these names is read). */
  names: string[];
  /** Names of the declared objects the state owns, for kinds that cannot read by id (automations). */
  ownedNames?: string[];
  /** Ids of the parent objects whose children to read (a deployment's schedules). */
  parentIds?: string[];
}

export interface Kind<S extends Spec = Spec, L = unknown> extends KindSchema<S> {
  /** Every live object of the kind, in as few requests as the API allows. */
  list(ctx: KindContext): Promise<L[]>;
  /**
   * The live objects of `scope` (a superset is allowed: more objects with the same names), in
   * as few requests as the API allows; `scopes` holds every kind's scope of the run, for kinds
   * read along with another (schedules with their deployments). Kinds without it are listed whole.
   */
  readScoped?(ctx: KindContext, scope: ReadScope, scopes: ReadonlyMap<string, ReadScope>): Promise<L[]>;
  /** `readScoped` reads the owned objects' declared names too (`ownedNames`): an owned object its id did not find needs no second look by name. */
  readonly readsOwnedNames?: boolean;
  /** One object by id; `undefined` when it does not exist (never throws for that). */
  read(ctx: KindContext, id: string): Promise<L | undefined>;
  /** One object by its natural key; `undefined` when there is none (or the kind has no natural key). */
  find(ctx: KindContext, spec: S): Promise<L | undefined>;
  /**
   * Create the object. Safe to call again after a failure whose outcome is unknown: a create
   * that may have happened is looked up before it is repeated, so it never duplicates.
   */
  create(ctx: KindContext, spec: S): Promise<L>;
  /** Bring the object to `spec`. `changed` lists the top-level attributes that differ. */
  update(ctx: KindContext, id: string, spec: S, prior: L, changed: string[]): Promise<L>;
  /** Delete the object; an object already gone is not an error. */
  delete(ctx: KindContext, id: string, prior?: L): Promise<void>;
  idOf(live: L): string;
  /** The natural key of a live object, comparable with `identity(spec)`. */
  identityOf(live: L): string | undefined;
  /** The live object in the declared shape, normalized so that an object just applied compares equal to its declaration. */
  toSpec(live: L): S;
  /** Objects Prefect itself manages that look like ours but belong to something else (a deployment's concurrency limit). */
  systemManaged?(live: L): boolean;
  /**
   * Changes Prefect cannot make in place although the attribute is not force-new (a
   * deployment's job_variables cannot be emptied by an update): each forces a replacement,
   * with the reason shown in the plan.
   */
  replacementReasons?(declared: S, live: S): { path: (string | number)[]; reason: string }[];
  /**
   * Writes that must not run in parallel: objects with the same `group` are written one at a
   * time, lowest `order` first (a pool's queues, whose priorities Prefect renumbers on write).
   */
  serialization?(spec: S): { group: string; order: number } | undefined;
  /**
   * The Prefect name a resource declaring this live object is named after on import (a queue:
   * `pool_queue`); `nameOf` gives that name for another live object, by type and id. Default:
   * the object's `name`.
   */
  importName?(spec: S, nameOf: (type: string, id: string) => string | undefined): string;
  /**
   * Kind-specific parts of the declaration import writes for `live`: references by name, secrets
   * as variables, attributes written in one of two ways. `declared` holds the attributes a
   * declaration must state, from `spec`; references by id (attributes' `references` facts) are
   * written afterwards by `writeReferences`, for the attributes still holding a plain id.
   */
  writeDeclaration?(declared: Record<string, unknown>, spec: S, live: L, writer: DeclarationWriter): void;
}

/** The zod object validating a declaration (unknown attributes refused). */
export function specSchema(kind: KindSchema): z.ZodObject {
  return z.strictObject(kind.attributes as Record<string, z.ZodType>);
}

const factsCache = new WeakMap<KindSchema, Readonly<Record<string, AttributeFacts>>>();

/** The facts of each top-level attribute (worked out once per kind). */
export function attributeFactsOf(kind: KindSchema): Readonly<Record<string, AttributeFacts>> {
  let facts = factsCache.get(kind);
  if (!facts) {
    facts = Object.fromEntries(Object.entries(kind.attributes as Record<string, z.ZodType>).map(([name, schema]) => [name, factsOf(schema)]));
    factsCache.set(kind, facts);
  }
  return facts;
}

export type ParseResult<S> = { ok: true; spec: S } | { ok: false; issues: SpecIssue[] };

const schemaCache = new WeakMap<KindSchema, z.ZodObject>();

/**
 * Validate and normalize a declaration: types checked, JSON attributes parsed, sets sorted,
 * defaults filled, computed attributes refused, cross-attribute rules applied.
 */
export function parseSpec<S extends Spec>(kind: KindSchema<S>, declared: Record<string, unknown>): ParseResult<S> {
  const issues: SpecIssue[] = [];
  const facts = attributeFactsOf(kind);
  for (const [name, value] of Object.entries(declared)) {
    const fact = facts[name];
    if (fact && fact.computed && !fact.optional && value !== undefined && value !== null) {
      issues.push({ path: [name], message: `is set by Prefect and cannot be declared; remove it` });
    }
  }
  let schema = schemaCache.get(kind);
  if (!schema) {
    schema = specSchema(kind);
    schemaCache.set(kind, schema);
  }
  const parsed = schema.safeParse(declared, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(...describeZodIssue(issue, Object.keys(facts)));
  }
  if (issues.length || !parsed.success) return { ok: false, issues };
  const spec = parsed.data as S;
  const extra = kind.check?.(spec) ?? [];
  if (extra.length) return { ok: false, issues: extra };
  return { ok: true, spec };
}

/** A zod issue as a message a person can act on. */
function describeZodIssue(issue: z.core.$ZodIssue, known: string[]): SpecIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)), key],
      message: `is not an attribute of this resource${suggest(key, known)}`,
    }));
  }
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "invalid_type") {
    const received = (issue as { input?: unknown }).input;
    if (received === undefined) return [{ path, message: "is required" }];
    return [{ path, message: `must be ${article(issue.expected)}, got ${describeValue(received)}` }];
  }
  return [{ path, message: issue.message }];
}

function article(expected: string): string {
  const names: Record<string, string> = { string: "a string", number: "a number", boolean: "true or false", array: "a list", object: "an object" };
  return names[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** "did you mean" for a misspelled attribute. */
export function suggest(name: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = levenshtein(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
