// Resource and variable names for imported objects: Terraform identifiers made from Prefect's
// names, unique within their Terraform type (and against what the configuration already
// declares), and stable: the same workspace gives the same names in the same order.

/** A Terraform identifier: letters, digits and underscores, not starting with a digit. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `text` as a Terraform identifier: lower case, every run of other characters an underscore,
 * `fallback` when nothing is left, and `fallback_` in front of a leading digit.
 *
 * @example identifierFrom("ETL Nightly (v2)", "flow") // "etl_nightly_v2"
 */
export function identifierFrom(text: string, fallback: string): string {
  const base = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!base) return fallback;
  return /^[0-9]/.test(base) ? `${fallback}_${base}` : base;
}

/**
 * Hands out unique names within one namespace (a Terraform type, or the variables): the first
 * object to ask for a name gets it, later ones `name_2`, `name_3`, ...
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** A free name made from `wanted` (already an identifier), now taken. */
  allocate(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}_${n}`;
    this.taken.add(name);
    return name;
  }
}
