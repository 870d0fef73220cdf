// Wire values (already parsed from MessagePack or JSON) -> TfValue, walked by type. Unknowns
// arrive as MessagePack extension values (any extension type: 0 plain, 12 with refinements);
// `dynamic` values carry their concrete type beside them.
import { ExtData } from "@msgpack/msgpack";
import { UNKNOWN, type TfValue } from "../contract.js";
import { CodecError, parseCtyType, type CtyType } from "./cty-type.js";
import { rememberType } from "./infer-type.js";

export type WireFormat = "msgpack" | "json";
type Path = (string | number)[];

const utf8 = new TextDecoder();

const isPlainObject = (raw: unknown): raw is Record<string, unknown> =>
  raw !== null && typeof raw === "object" && !Array.isArray(raw) && !(raw instanceof Uint8Array);

function describe(raw: unknown): string {
  if (raw === null) return "null";
  if (Array.isArray(raw)) return "an array";
  if (raw instanceof Uint8Array) return "bytes";
  return typeof raw === "object" ? "a map" : `a ${typeof raw}`;
}

function mismatch(expected: string, raw: unknown, path: Path): CodecError {
  return new CodecError(`expected ${expected}, got ${describe(raw)}`, path);
}

/** A dynamic value's [type, value] pair: [bytes, value] in MessagePack, {"type","value"} in JSON. */
function dynamicParts(raw: unknown, format: WireFormat, path: Path): [CtyType, unknown] {
  if (format === "json") {
    if (!isPlainObject(raw) || !("type" in raw)) throw mismatch('a {"type","value"} object for a dynamic value', raw, path);
    return [parseCtyType(raw.type), raw.value];
  }
  if (!Array.isArray(raw) || raw.length !== 2) throw mismatch("a [type, value] pair for a dynamic value", raw, path);
  const typeJson = raw[0] instanceof Uint8Array ? utf8.decode(raw[0]) : raw[0];
  if (typeof typeJson !== "string") throw mismatch("a JSON type expression", raw[0], path);
  return [parseCtyType(JSON.parse(typeJson)), raw[1]];
}

export function decodeWire(raw: unknown, type: CtyType, format: WireFormat, path: Path = []): TfValue {
  // cty treats every extension value as unknown (type 0, or 12 carrying refinements we ignore);
  // the msgpack library decodes type -1 (timestamp) into a Date, which cty never sends.
  if (raw instanceof ExtData || raw instanceof Date) return UNKNOWN;
  if (raw === null || raw === undefined) return null;
  if (type === "dynamic") {
    const [concrete, inner] = dynamicParts(raw, format, path);
    return rememberType(decodeWire(inner, concrete, format, path), concrete);
  }
  switch (type) {
    case "string":
      if (typeof raw !== "string") throw mismatch("a string", raw, path);
      return raw;
    case "bool":
      if (typeof raw !== "boolean") throw mismatch("a bool", raw, path);
      return raw;
    case "number":
      return decodeNumber(raw, path);
  }
  if ("list" in type || "set" in type) {
    if (!Array.isArray(raw)) throw mismatch("an array", raw, path);
    const element = "list" in type ? type.list : type.set;
    return raw.map((item, i) => decodeWire(item, element, format, [...path, i]));
  }
  if ("tuple" in type) {
    if (!Array.isArray(raw) || raw.length !== type.tuple.length) throw mismatch(`an array of ${type.tuple.length}`, raw, path);
    return raw.map((item, i) => decodeWire(item, type.tuple[i]!, format, [...path, i]));
  }
  if (!isPlainObject(raw)) throw mismatch("a map", raw, path);
  if ("map" in type) {
    return Object.fromEntries(Object.entries(raw).map(([key, item]) => [key, decodeWire(item, type.map, format, [...path, key])]));
  }
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(type.object, name)) throw new CodecError(`unexpected attribute "${name}"`, path);
  }
  // Every attribute of the type is present; one the wire left out is null.
  return Object.fromEntries(
    Object.entries(type.object).map(([name, attributeType]) => [name, decodeWire(Object.hasOwn(raw, name) ? raw[name] : null, attributeType, format, [...path, name])]),
  );
}

/** cty sends integers as ints, other numbers as float64, and numbers neither can hold as decimal strings. */
function decodeNumber(raw: unknown, path: Path): number {
  if (typeof raw === "number") return raw;
  if (typeof raw === "bigint") return Number(raw);
  if (typeof raw === "string" && raw.trim() !== "") {
    const parsed = Number(raw);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw mismatch("a number", raw, path);
}
