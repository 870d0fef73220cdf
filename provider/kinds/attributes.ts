// The attribute vocabulary of every kind: zod schemas that also carry the Terraform facts of
// each attribute (type, required/optional/computed, sensitive, force-new, default, format, how
// values compare). One definition serves the engine (validation, diff, masking), the
// Terraform schema export, the generated L1 bindings and the L2 constructs.
import { z } from "zod";

/** A Terraform type expression, as `terraform providers schema -json` prints it. */
export type TfType = "string" | "number" | "bool" | "dynamic" | ["set" | "list" | "map", TfType];

export type NestingMode = "single" | "list" | "set";

/** Everything known about one attribute beyond its zod type. */
export interface AttributeFacts {
  tfType: TfType | { nested: NestingMode };
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  writeOnly: boolean;
  /** A change replaces the object instead of updating it. */
  forceNew: boolean;
  /** Terraform's `use_state_for_unknown`: a computed value that keeps its prior value on update. */
  stable: boolean;
  /** The value used when the attribute is not declared. */
  default?: unknown;
  /**
   * `default` is only the value the server starts a new object with: an undeclared attribute
   * stays undefined after parsing, so the live value stands afterwards (a counter the server
   * moves, such as a concurrency limit's active slots).
   */
  defaultOnCreate?: boolean;
  /**
   * Prefect does not keep this value (Terraform keeps it in its state only, like the
   * `*_wo_version` that says when to send a write-only attribute again): a live object never
   * has it, so the engine compares the declaration with the value last applied, as the state
   * recorded it (compare.ts `withRecordedValues`).
   */
  stateOnly?: boolean;
  /** `json`: a string holding a JSON document (compared as a document); `uuid`; `rfc3339`. */
  format?: "json" | "uuid" | "rfc3339";
  /** How two values compare: `json` documents, `set` (order and duplicates do not matter), or a custom rule. */
  compare: "exact" | "json" | "set" | ((declared: unknown, live: unknown) => boolean);
  description: string;
  /** For nested attributes, the attributes of each element. */
  nested?: Record<string, z.ZodType>;
  /** The kind and attribute this one refers to, e.g. `prefect_flow.id` (documentation and graph hints). */
  references?: string;
}

/** A type-only brand: no attribute schema has this property at run time. */
declare const SPEC: unique symbol;

/**
 * An attribute schema built with `attr.*`, typed for the compiler with the value a parsed
 * declaration holds (`T`) and whether it is always there (`Present`: required, or filled by a
 * default). Kinds derive their spec types from their attributes with `SpecOf`.
 */
export type Attribute<T, Present extends boolean> = z.ZodType & { readonly [SPEC]: { value: T; present: Present } };

/** Whether options make an attribute always present after parsing: required, or a default filled in (not only on create). */
export type PresentWith<O> = O extends { required: true } ? true : O extends { defaultOnCreate: true } ? false : O extends { default: infer D } ? (undefined extends D ? false : true) : false;

type ValueOf<A> = A extends { readonly [SPEC]: { value: infer T } } ? T : unknown;
type AlwaysThere<A> = A extends { readonly [SPEC]: { present: true } } ? true : false;

/**
 * The parsed declaration of a set of attributes: each attribute's value, optional unless it is
 * always there. Attributes not built with `attr.*` count as optional `unknown`.
 *
 * @example type WorkPoolSpec = SpecOf<typeof workPoolAttributes>
 */
export type SpecOf<A> = Flat<
  { -readonly [K in keyof A as AlwaysThere<A[K]> extends true ? K : never]: ValueOf<A[K]> } & {
    -readonly [K in keyof A as AlwaysThere<A[K]> extends true ? never : K]?: ValueOf<A[K]>;
  }
>;

/** One object type instead of an intersection (what editors show, and what compares equal). */
type Flat<T> = { [K in keyof T]: T[K] };

/** The facts-carrying schema typed as an Attribute (the brand exists only for the compiler). */
const typed = <T, O>(schema: z.ZodType): Attribute<T, PresentWith<O>> => schema as Attribute<T, PresentWith<O>>;

/** Where the facts live, keyed by schema instance. */
const attributeFacts = new WeakMap<z.ZodType, AttributeFacts>();

/**
 * Whether an attribute holds a sensitive value anywhere: itself, or a nested attribute (then
 * the whole attribute is masked and hashed, as Terraform marks nested sensitive values).
 */
export function sensitiveAnywhere(facts: AttributeFacts): boolean {
  // Asked for every attribute of every planned object: worked out once per attribute.
  let found = sensitiveMemo.get(facts);
  if (found === undefined) {
    found = facts.sensitive === true || Object.values(facts.nested ?? {}).some((child) => sensitiveAnywhere(factsOf(child)));
    sensitiveMemo.set(facts, found);
  }
  return found;
}

const sensitiveMemo = new WeakMap<AttributeFacts, boolean>();

/** The facts of an attribute schema built with `attr.*`. */
export function factsOf(schema: z.ZodType): AttributeFacts {
  const facts = attributeFacts.get(schema);
  if (!facts) throw new Error("This schema was not built with the attr.* helpers and has no attribute facts.");
  return facts;
}

export interface AttrOptions<T> {
  description: string;
  /** Must be declared. */
  required?: boolean;
  /** Set by the server; with `optional`, declared or left to the server. */
  computed?: boolean;
  /** May be declared (implied by a default, or by not being required nor computed). */
  optional?: boolean;
  sensitive?: boolean;
  writeOnly?: boolean;
  forceNew?: boolean;
  stable?: boolean;
  default?: T;
  /** See AttributeFacts.defaultOnCreate: the default is not filled in when parsing a declaration. */
  defaultOnCreate?: boolean;
  /** See AttributeFacts.stateOnly. */
  stateOnly?: boolean;
  format?: "uuid" | "rfc3339";
  references?: string;
  /** Extra validation: return a message for a bad value (it names what is allowed). */
  check?: (value: T) => string | undefined;
  compare?: AttributeFacts["compare"];
}

/** Terraform's null means "not set": it becomes undefined before the type is checked. */
const nullToUndefined = (value: unknown): unknown => (value === null ? undefined : value);

function flags<T>(options: AttrOptions<T>): Pick<AttributeFacts, "required" | "optional" | "computed"> {
  const required = options.required ?? false;
  const computed = options.computed ?? false;
  const optional = !required && (options.optional ?? (!computed || options.default !== undefined));
  return { required, optional, computed };
}

function finish<T>(base: z.ZodType<T>, options: AttrOptions<T>, facts: Omit<AttributeFacts, "required" | "optional" | "computed" | "sensitive" | "writeOnly" | "forceNew" | "stable" | "description" | "compare"> & { compare?: AttributeFacts["compare"] }): z.ZodType {
  let checked: z.ZodType = base;
  if (options.check) {
    const check = options.check;
    checked = base.superRefine((value, ctx) => {
      const message = check(value as T);
      if (message) ctx.addIssue({ code: "custom", message });
    });
  }
  const all: AttributeFacts = {
    ...facts,
    ...flags(options),
    sensitive: options.sensitive ?? false,
    writeOnly: options.writeOnly ?? false,
    forceNew: options.forceNew ?? false,
    stable: options.stable ?? false,
    description: options.description,
    references: options.references,
    compare: options.compare ?? facts.compare ?? "exact",
    format: options.format ?? facts.format,
    ...(options.default !== undefined ? { default: options.default } : {}),
    ...(options.defaultOnCreate ? { defaultOnCreate: true } : {}),
    ...(options.stateOnly ? { stateOnly: true } : {}),
  };
  const inner = options.default !== undefined && !options.defaultOnCreate ? checked.default(structuredClone(options.default) as never) : all.required ? checked : checked.optional();
  const schema = z.preprocess(nullToUndefined, inner);
  attributeFacts.set(schema, all);
  return schema;
}

/** Parse a JSON-valued attribute: Terraform gives a string (jsonencode), code may give the value itself. */
function jsonDocument(shape: "object" | "any", sensitive = false) {
  return z.unknown().transform((value, ctx) => {
    let parsed = value;
    if (typeof value === "string") {
      try {
        parsed = JSON.parse(value);
      } catch (error) {
        // The parser's message quotes the text, which must not reach a message when it is a secret.
        const detail = sensitive ? "it is not valid JSON (the text is not shown: the attribute is sensitive)" : (error as Error).message;
        ctx.addIssue({ code: "custom", message: `must be a JSON document (use jsonencode(...)); ${detail}` });
        return z.NEVER;
      }
    }
    if (shape === "object" && (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))) {
      ctx.addIssue({ code: "custom", message: `must be a JSON object, got ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : typeof parsed}` });
      return z.NEVER;
    }
    return parsed;
  });
}

/** A UUID in any case, as Prefect takes ids. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A set of strings as declarations hold it (none: empty): sorted and without duplicates, so two
 * equal sets are equal values. Live sets are mapped with it too.
 */
export const sortedUnique = (values: readonly string[] | null | undefined): string[] => [...new Set(values ?? [])].sort();

export const attr = {
  string<O extends AttrOptions<string>>(options: O): Attribute<string, PresentWith<O>> {
    const base = options.format === "uuid" ? z.string().regex(UUID, { message: "must be a UUID (e.g. the id attribute of another resource)" }) : z.string();
    return typed(finish(base, options, { tfType: "string" }));
  },

  number<O extends AttrOptions<number> & { integer?: boolean; min?: number; max?: number }>(options: O): Attribute<number, PresentWith<O>> {
    let base = z.number();
    if (options.integer) base = base.int({ message: "must be a whole number" });
    if (options.min !== undefined) base = base.min(options.min, { message: `must be at least ${options.min}` });
    if (options.max !== undefined) base = base.max(options.max, { message: `must be at most ${options.max}` });
    return typed(finish(base, options, { tfType: "number" }));
  },

  bool<O extends AttrOptions<boolean>>(options: O): Attribute<boolean, PresentWith<O>> {
    return typed(finish(z.boolean(), options, { tfType: "bool" }));
  },

  /** A string attribute holding a JSON document; declared as a string or a value, kept parsed, compared as a document. */
  json<O extends AttrOptions<unknown> & { shape?: "object" | "any" }>(options: O): Attribute<O extends { shape: "any" } ? unknown : Record<string, unknown>, PresentWith<O>> {
    return typed(finish(jsonDocument(options.shape ?? "object", options.sensitive ?? false) as z.ZodType<unknown>, options, { tfType: "string", format: "json", compare: "json" }));
  },

  /** Terraform `dynamic`: any value (string, number, bool, list, object), compared as a JSON document. */
  dynamic<O extends AttrOptions<unknown>>(options: O): Attribute<unknown, PresentWith<O>> {
    return typed(finish(z.unknown().refine((value) => value !== undefined, { message: "is required" }) as z.ZodType<unknown>, options, { tfType: "dynamic", compare: "json" }));
  },

  /** A set of strings (order and duplicates do not matter). */
  stringSet<O extends AttrOptions<string[]>>(options: O): Attribute<string[], PresentWith<O>> {
    return typed(finish(z.array(z.string()).transform(sortedUnique) as unknown as z.ZodType<string[]>, options, { tfType: ["set", "string"], compare: "set" }));
  },

  stringList<O extends AttrOptions<string[]>>(options: O): Attribute<string[], PresentWith<O>> {
    return typed(finish(z.array(z.string()), options, { tfType: ["list", "string"] }));
  },

  stringMap<O extends AttrOptions<Record<string, string>>>(options: O): Attribute<Record<string, string>, PresentWith<O>> {
    return typed(finish(z.record(z.string(), z.string()), options, { tfType: ["map", "string"], compare: "json" }));
  },

  /** One nested object (Terraform nested attribute, nesting mode `single`). */
  object<A extends Record<string, z.ZodType>, O extends AttrOptions<Record<string, unknown>>>(attributes: A, options: O): Attribute<SpecOf<A>, PresentWith<O>> {
    return typed(finish(z.strictObject(attributes) as z.ZodType<Record<string, unknown>>, options, { tfType: { nested: "single" }, nested: attributes }));
  },

  /** A list of nested objects (nesting mode `list`). */
  objectList<A extends Record<string, z.ZodType>, O extends AttrOptions<Record<string, unknown>[]>>(attributes: A, options: O): Attribute<SpecOf<A>[], PresentWith<O>> {
    return typed(finish(z.array(z.strictObject(attributes)) as z.ZodType<Record<string, unknown>[]>, options, { tfType: { nested: "list" }, nested: attributes }));
  },
};

/** A `check` that takes only the `allowed` values, naming them all: `oneOf("a posture", POSTURES)`. */
export function oneOf(what: string, allowed: readonly string[]): (value: string) => string | undefined {
  return (value) => (allowed.includes(value) ? undefined : `"${value}" is not ${what}; use one of ${allowed.map((option) => `"${option}"`).join(", ")}`);
}

/** The usual computed attributes every Prefect object has. */
export const commonComputed = {
  id: () => attr.string({ description: "The object's id (UUID).", computed: true, format: "uuid", stable: true }),
  created: () => attr.string({ description: "When the object was created (RFC 3339).", computed: true, format: "rfc3339", stable: true }),
  updated: () => attr.string({ description: "When the object was last updated (RFC 3339).", computed: true, format: "rfc3339" }),
};

/**
 * `account_id` / `workspace_id` (optional, force-new UUIDs), compared so that a configuration
 * written for the official provider plans cleanly: undeclared, the object lives wherever the
 * provider points (whatever it reads back with); declared, it must be the account or workspace
 * the object was read from (UUIDs compare case-insensitively). The kind's live model carries
 * the ids its client reads from (runtime.ts `cloudScopeOf`).
 */
export function cloudScope(what: "account" | "workspace"): Attribute<string, false> {
  return attr.string({
    description: `Prefect Cloud ${what} id (defaults to the provider's).`,
    optional: true,
    forceNew: true,
    format: "uuid",
    compare: (declared, live) => declared === undefined || String(declared).toLowerCase() === String(live).toLowerCase(),
  });
}

/**
 * The attributes every object Prefect keeps in a workspace has, first in each kind: its id, when
 * it was created and updated, and the Cloud account and workspace it lives in (`scope` makes
 * those two; webhooks read theirs back from Prefect).
 */
export function objectAttributes(scope: (what: "account" | "workspace") => Attribute<string, false> = cloudScope) {
  return {
    id: commonComputed.id(),
    created: commonComputed.created(),
    updated: commonComputed.updated(),
    account_id: scope("account"),
    workspace_id: scope("workspace"),
  };
}
