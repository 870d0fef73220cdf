// Block schema checksums computed the way Prefect computes them (blocks/core.py
// `Block._calculate_schema_checksum`): drop every `secret_fields` key, keep only the
// definitions that are not blocks themselves, then sha256 over Python's `json.dumps` of the
// call arguments `((fields,), {})` with `sort_keys=True` (utilities/hashing.py `hash_objects`).
// Clients look schemas up by this checksum, so it has to match byte for byte.
import { createHash } from "node:crypto";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Python's `json.dumps(value, sort_keys=True)` with its defaults: `", "`/`": "` separators, ASCII-only output. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${pythonString(key)}: ${pythonJsonDumps(value[key])}`).join(", ")}}`;
  }
  throw new TypeError(`Cannot serialize a ${typeof value} as JSON.`);
}

const NAMED_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

function pythonString(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    const code = text.charCodeAt(index);
    const named = NAMED_ESCAPES[char];
    if (named) out += named;
    // ensure_ascii escapes everything outside printable ASCII, UTF-16 code unit by code unit.
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/**
 * Numbers as Python prints them. JSON parsing in JavaScript cannot tell `1.0` from `1`, so
 * integral values print as integers; other values follow `float.__repr__` (shortest digits,
 * scientific notation below 1e-4 and from 1e16, two-digit exponents).
 */
function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  if (Number.isInteger(value)) return BigInt(value).toString();
  const [mantissa = "", exponentText = "0"] = Math.abs(value).toExponential().split("e");
  const exponent = Number(exponentText);
  const digits = mantissa.replace(".", "");
  const sign = value < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${head}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const integral = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1) || "0";
  return `${sign}${integral}.${fraction}`;
}

/** A copy of `value` without the given keys at any depth of nested objects (lists are left alone, as in Prefect). */
function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (!keys.includes(key)) out[key] = withoutKeys(child, keys);
  return out;
}

function collectRefs(value: unknown, into: unknown[]): unknown[] {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (isObject(value)) {
    if (value.$ref) into.push(value.$ref);
    for (const child of Object.values(value)) collectRefs(child, into);
  }
  return into;
}

/**
 * The definitions reachable from `object` that describe plain models rather than nested
 * blocks (a block definition carries `block_type_slug`). Nested blocks are schemas of their
 * own and do not count towards the parent's checksum.
 */
export function nonBlockDefinitions(object: unknown, definitions: Record<string, unknown>, seen = new Set<string>()): Record<string, unknown> {
  let found: Record<string, unknown> = {};
  for (const ref of collectRefs(object, [])) {
    if (typeof ref !== "string") continue;
    const key = ref.replace("#/definitions/", "");
    const definition = definitions[key];
    if (!isObject(definition) || Object.keys(definition).length === 0 || definition.block_type_slug != null || seen.has(key)) continue;
    seen.add(key);
    found = { ...found, [key]: definition, ...nonBlockDefinitions(definition, definitions, seen) };
  }
  return found;
}

/** `sha256:<hex>` of a block schema's `fields`, as Prefect computes it. */
export function blockSchemaChecksum(fields: Record<string, unknown>): string {
  const forChecksum = withoutKeys(fields, ["secret_fields"]) as Record<string, unknown>;
  const definitions = forChecksum.definitions;
  if (isObject(definitions) && Object.keys(definitions).length > 0) {
    const kept = nonBlockDefinitions(forChecksum, definitions);
    if (Object.keys(kept).length > 0) forChecksum.definitions = kept;
    else delete forChecksum.definitions;
  }
  const payload = pythonJsonDumps([[forChecksum as Json], {}]);
  return `sha256:${createHash("sha256").update(payload, "utf8").digest("hex")}`;
}
