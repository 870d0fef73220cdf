// Hashes for the state: canonical JSON (sorted keys) so equal documents hash equal, and salted
// HMACs for sensitive values so the state can prove "unchanged" without holding the secret.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { z } from "zod";
import { factsOf, sensitiveAnywhere } from "../../provider/kinds/attributes.js";
import type { KindSchema, Spec } from "../../provider/kinds/kind.js";
import { canonicalJson } from "../../provider/kinds/compare.js";
import type { SensitiveHash } from "./model.js";

// One canonical JSON for the engine and the Terraform provider (provider/ cannot import reconciler/).
export { canonicalJson };

export function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

export function newSalt(): string {
  return randomBytes(16).toString("hex");
}

/** A sensitive value's salted hash, as the state stores it. */
export function sensitiveHash(salt: string, value: unknown): SensitiveHash {
  return { $sensitive: `hmac-sha256:${createHmac("sha256", salt).update(canonicalJson(value)).digest("hex")}` };
}

export function isSensitiveHash(value: unknown): value is SensitiveHash {
  return typeof value === "object" && value !== null && typeof (value as SensitiveHash).$sensitive === "string" && Object.keys(value).length === 1;
}

/** The spec with every sensitive attribute replaced by its salted hash (what the state keeps). */
export function protectSpec(kind: KindSchema, spec: Spec, salt: string, alsoSensitive: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(kind.attributes as Record<string, z.ZodType>)) {
    const value = spec[name];
    if (value === undefined) continue;
    const facts = factsOf(schema);
    if (facts.writeOnly) continue;
    out[name] = sensitiveAnywhere(facts) || alsoSensitive.has(name) ? sensitiveHash(salt, value) : value;
  }
  return out;
}

/** Hash of a whole spec (salted, so it reveals nothing about sensitive values). */
export function specHash(spec: Spec, salt: string): string {
  return `hmac-sha256:${createHmac("sha256", salt).update(canonicalJson(spec)).digest("hex")}`;
}
