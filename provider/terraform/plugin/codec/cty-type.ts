// Terraform's value types (cty types) as the protocol writes them: JSON type expressions such as
// "string", ["list","string"] or ["object",{"a":"number"}]. The codec walks values by these.

/** A cty type. `dynamic` means "any type": its values carry their concrete type on the wire. */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | { readonly list: CtyType }
  | { readonly set: CtyType }
  | { readonly map: CtyType }
  | { readonly object: Readonly<Record<string, CtyType>> }
  | { readonly tuple: readonly CtyType[] };

/** A value or type the codec cannot handle; the message names the path, never the value (it may be a secret). */
export class CodecError extends Error {
  readonly code = "TF_VALUE_CODEC";
  constructor(message: string, readonly path: readonly (string | number)[] = []) {
    super(path.length > 0 ? `${message} (at ${formatPath(path)})` : message);
    this.name = "CodecError";
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`)).join("") || "(root)";
}

const PRIMITIVES = new Set(["string", "number", "bool", "dynamic"]);

/** Parses a JSON type expression (already JSON-decoded). */
export function parseCtyType(json: unknown): CtyType {
  if (typeof json === "string") {
    if (PRIMITIVES.has(json)) return json as CtyType;
    throw new CodecError(`unknown primitive type "${json}"; expected string, number, bool or dynamic`);
  }
  if (Array.isArray(json) && typeof json[0] === "string") {
    const [kind, arg] = json as [string, unknown];
    switch (kind) {
      case "list":
        return { list: parseCtyType(arg) };
      case "set":
        return { set: parseCtyType(arg) };
      case "map":
        return { map: parseCtyType(arg) };
      case "tuple":
        if (!Array.isArray(arg)) throw new CodecError("a tuple type needs a list of element types");
        return { tuple: arg.map(parseCtyType) };
      case "object": {
        // A third element lists optional attributes (type constraints only); values ignore it.
        if (arg === null || typeof arg !== "object" || Array.isArray(arg)) throw new CodecError("an object type needs a map of attribute types");
        return { object: Object.fromEntries(Object.entries(arg).map(([name, type]) => [name, parseCtyType(type)])) };
      }
    }
  }
  throw new CodecError(`not a type expression: ${JSON.stringify(json)?.slice(0, 80)}`);
}

/** The JSON type expression of a type (the inverse of parseCtyType). */
export function ctyTypeJson(type: CtyType): unknown {
  if (typeof type === "string") return type;
  if ("list" in type) return ["list", ctyTypeJson(type.list)];
  if ("set" in type) return ["set", ctyTypeJson(type.set)];
  if ("map" in type) return ["map", ctyTypeJson(type.map)];
  if ("tuple" in type) return ["tuple", type.tuple.map(ctyTypeJson)];
  return ["object", Object.fromEntries(Object.entries(type.object).map(([name, t]) => [name, ctyTypeJson(t)]))];
}
