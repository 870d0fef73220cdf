// Our Terraform schema against the official provider's: every resource we implement has the
// same attributes, types, nesting and required/optional/computed/sensitive/write-only flags,
// except the differences listed (with their reasons) in schema-differences.ts.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { factsOf, type AttributeFacts } from "../kinds/attributes.js";
import type { KindSchema } from "../kinds/kind.js";
import { KIND_SCHEMAS } from "../kinds/schemas.js";
import { SCHEMA_DIFFERENCES, type SchemaDifference } from "./schema-differences.js";
import { PROVIDER_SOURCE, providerSchemaJson, type AttributeJson } from "./schema-export.js";

const OFFICIAL = new URL("../../../shared/terraform-provider/prefect-provider-schema.json", import.meta.url);
const ANNOTATIONS = new URL("../../../shared/terraform-provider/prefect-provider-annotations.json", import.meta.url);

/** A default as the annotations print it (`stringdefault.StaticString('{}')`), as our facts hold it. */
function literal(text: string, format: string | undefined): unknown {
  if (/\[\]\)*$/.test(text)) return [];
  const value = /Static\w+\((.*)\)$/.exec(text)?.[1] ?? "";
  if (value === "True" || value === "False") return value === "True";
  if (/^'.*'$/.test(value)) return format === "json" ? JSON.parse(value.slice(1, -1)) : value.slice(1, -1);
  return Number(value);
}

/** Every attribute of a kind by dotted path (nested attributes included), with its facts. */
function factsByPath(attributes: Record<string, z.ZodType>, prefix = ""): [string, AttributeFacts][] {
  return Object.entries(attributes).flatMap(([name, schema]) => {
    const facts = factsOf(schema);
    return [[prefix + name, facts] as [string, AttributeFacts], ...factsByPath(facts.nested ?? {}, `${prefix}${name}.`)];
  });
}

interface Annotation {
  force_new?: boolean;
  default?: string;
  format?: string;
  use_state_for_unknown?: boolean;
}
const FLAGS = ["required", "optional", "computed", "sensitive", "write_only"] as const;

interface OfficialAttribute {
  type?: unknown;
  nested_type?: { attributes: Record<string, OfficialAttribute>; nesting_mode: string };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  write_only?: boolean;
}

/** Every difference between two attribute sets, as paths. */
function compareAttributes(path: string, ours: Record<string, AttributeJson>, theirs: Record<string, OfficialAttribute>): Omit<SchemaDifference, "reason">[] {
  const found: Omit<SchemaDifference, "reason">[] = [];
  for (const name of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const at = `${path}.${name}`;
    const mine = ours[name];
    const official = theirs[name];
    if (!mine) {
      found.push({ path: at, kind: "missing" });
      continue;
    }
    if (!official) {
      found.push({ path: at, kind: "extra" });
      continue;
    }
    const flags = (attribute: AttributeJson | OfficialAttribute) => FLAGS.filter((flag) => attribute[flag] === true).join(",");
    if (flags(mine) !== flags(official)) found.push({ path: at, kind: "flags" });
    if (official.nested_type || mine.nested_type) {
      if (!official.nested_type || !mine.nested_type || official.nested_type.nesting_mode !== mine.nested_type.nesting_mode) {
        found.push({ path: at, kind: "type" });
        continue;
      }
      found.push(...compareAttributes(at, mine.nested_type.attributes, official.nested_type.attributes));
    } else if (JSON.stringify(mine.type) !== JSON.stringify(official.type)) {
      found.push({ path: at, kind: "type" });
    }
  }
  return found;
}

// The official schema and annotations live in ../shared beside the repository; without them
// the comparison is skipped with a message (vitest runs a skipped suite's body to collect its
// tests, so nothing may be read at collection time unless the files are there).
const present = existsSync(OFFICIAL) && existsSync(ANNOTATIONS);
if (!present) console.warn(`Terraform schema comparison skipped: no official provider schema at ${OFFICIAL.pathname} (the shared folder beside the repository).`);

describe.skipIf(!present)("the exported Terraform schema matches the official provider's", () => {
  const official = present ? JSON.parse(readFileSync(OFFICIAL, "utf8")).provider_schemas[PROVIDER_SOURCE] : undefined;
  const ours = providerSchemaJson(KIND_SCHEMAS).provider_schemas[PROVIDER_SOURCE]!;
  const listed = (difference: Omit<SchemaDifference, "reason">) => SCHEMA_DIFFERENCES.some((entry) => entry.path === difference.path && entry.kind === difference.kind);

  it("implements only resources the official provider has", () => {
    expect(Object.keys(ours.resource_schemas).filter((type) => !official.resource_schemas[type])).toEqual([]);
  });

  it.each(KIND_SCHEMAS.map((kind) => [kind.type]))("%s: same attributes, types and flags (or a listed, explained difference)", (type) => {
    const mine = ours.resource_schemas[type]!;
    const theirs = official.resource_schemas[type];
    const differences = compareAttributes(type, mine.block.attributes, theirs.block.attributes);
    if (mine.version !== theirs.version) differences.push({ path: type, kind: "version" });
    expect(differences.filter((difference) => !listed(difference))).toEqual([]);
  });

  it("has the official provider block", () => {
    expect(compareAttributes("provider", ours.provider.block.attributes, official.provider.block.attributes).filter((d) => !listed(d))).toEqual([]);
  });

  it("lists no difference that does not exist any more", () => {
    const actual = KIND_SCHEMAS.flatMap((kind) => compareAttributes(kind.type, ours.resource_schemas[kind.type]!.block.attributes, official.resource_schemas[kind.type].block.attributes));
    const stale = SCHEMA_DIFFERENCES.filter((entry) => !actual.some((difference) => difference.path === entry.path && difference.kind === entry.kind) && entry.kind !== "version");
    expect(stale).toEqual([]);
  });

  it.each(KIND_SCHEMAS.map((kind) => [kind.type, kind] as const))(
    "%s: force-new, defaults, formats and kept-prior values as the official annotations say, at every nesting level",
    (type, kind: KindSchema) => {
      const annotations = (JSON.parse(readFileSync(ANNOTATIONS, "utf8")).resource[type] ?? {}) as Record<string, Annotation>;
      const ours = factsByPath(kind.attributes as Record<string, z.ZodType>).map(([path, facts]) => ({
        path,
        forceNew: facts.forceNew,
        default: facts.default,
        format: facts.format,
        stable: facts.stable,
      }));
      const theirs = ours.map(({ path }) => {
        const note = annotations[path] ?? {};
        return {
          path,
          forceNew: note.force_new === true,
          default: note.default === undefined ? undefined : literal(note.default, note.format),
          format: note.format,
          stable: note.use_state_for_unknown === true,
        };
      });
      expect(ours).toEqual(theirs);
    },
  );

  it("gives every listed difference a reason", () => {
    expect(SCHEMA_DIFFERENCES.filter((entry) => entry.reason.trim().length < 20)).toEqual([]);
  });
});
