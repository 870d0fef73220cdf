// TfValue -> wire value (ready for MessagePack), walked by type: objects carry every attribute of
// their type, unknowns become cty's unknown extension, dynamic values carry their concrete type.
import { ExtData } from "@msgpack/msgpack";
import { UNKNOWN, type TfValue } from "../contract.js";
import { CodecError, ctyTypeJson, type CtyType } from "./cty-type.js";
import { inferType } from "./infer-type.js";

type Path = (string | number)[];

/** What cty itself writes for an unknown: fixext1, extension type 0, one zero byte (one instance: the encoder only reads it). */
const UNKNOWN_EXTENSION = new ExtData(0, new Uint8Array([0]));
const utf8 = new TextEncoder();

const isObject = (value: TfValue): value is { [key: string]: TfValue } => value !== null && typeof value === "object" && !Array.isArray(value);

function kindOf(value: TfValue): string {
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function mismatch(expected: string, value: TfValue, path: Path): CodecError {
  return new CodecError(`expected ${expected}, got ${kindOf(value)}`, path);
}

export function encodeWire(value: TfValue | undefined, type: CtyType, path: Path = []): unknown {
  if (value === UNKNOWN) return UNKNOWN_EXTENSION;
  if (value === null || value === undefined) return null;
  if (type === "dynamic") {
    const concrete = inferType(value);
    return [utf8.encode(JSON.stringify(ctyTypeJson(concrete))), encodeWire(value, concrete, path)];
  }
  switch (type) {
    case "string":
      if (typeof value !== "string") throw mismatch("a string", value, path);
      return value;
    case "bool":
      if (typeof value !== "boolean") throw mismatch("a bool", value, path);
      return value;
    case "number":
      // Safe integers go out as msgpack ints, anything else as float64 (the library's choice,
      // and a form cty reads); NaN has no cty value.
      if (typeof value !== "number" || Number.isNaN(value)) throw mismatch("a number", value, path);
      return value;
  }
  if ("list" in type || "set" in type) {
    if (!Array.isArray(value)) throw mismatch("an array", value, path);
    const element = "list" in type ? type.list : type.set;
    return value.map((item, i) => encodeWire(item, element, [...path, i]));
  }
  if ("tuple" in type) {
    if (!Array.isArray(value) || value.length !== type.tuple.length) throw mismatch(`an array of ${type.tuple.length}`, value, path);
    return value.map((item, i) => encodeWire(item, type.tuple[i]!, [...path, i]));
  }
  if (!isObject(value)) throw mismatch("an object", value, path);
  if ("map" in type) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encodeWire(item, type.map, [...path, key])]));
  }
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(type.object, name)) throw new CodecError(`attribute "${name}" is not in the schema`, path);
  }
  return Object.fromEntries(
    Object.entries(type.object).map(([name, attributeType]) => [name, encodeWire(Object.hasOwn(value, name) ? value[name] : null, attributeType, [...path, name])]),
  );
}
