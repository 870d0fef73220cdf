// Phase 2 of a plan, per instance in dependency order: evaluate the declaration against what is
// known, validate it (with stand-ins for values not known yet, which are put back as unknown
// markers), and check that account_id/workspace_id only repeat the provider's workspace.
import { sensitiveAnywhere } from "../../provider/kinds/attributes.js";
import { isUnknown } from "../../provider/kinds/compare.js";
import { attributeFactsOf, type Kind, type Spec } from "../../provider/kinds/kind.js";
import { checkDeclaration } from "../../provider/kinds/validate.js";
import { firstUnknown } from "../config/evaluate.js";
import { evaluateInstance, type InstanceValues, type ResolvedConfig, type ResourceInstance } from "../config/resolve.js";
import { error, type Diagnostic } from "../diagnostics.js";
import { safeLabel } from "./mask.js";

export interface Declared {
  /** The evaluated attributes, before validation (what dependents' expressions see). */
  attributes: Record<string, unknown>;
  /** The validated spec; attributes not known yet are unknown markers. */
  spec: Spec;
  /** Attributes derived from sensitive variables. */
  tainted: Set<string>;
  label: string;
}

export type Declaration = { ok: true; declared: Declared; diagnostics: Diagnostic[] } | { ok: false; attributes?: Record<string, unknown>; diagnostics: Diagnostic[] };

const SENSITIVE_ISSUE =
  "is not valid. Its value is sensitive (a sensitive attribute, or derived from a sensitive variable), so it is not shown: check it against what this attribute allows";

/** `dependenciesFailed`: the instance is evaluated (its own mistakes are reported), but not validated. */
export function declareInstance(config: ResolvedConfig, instance: ResourceInstance, kind: Kind, values: InstanceValues, cloudIds: { accountId: string; workspaceId: string } | undefined, dependenciesFailed = false): Declaration {
  const evaluated = evaluateInstance(config, instance, values);
  if (evaluated.diagnostics.length || dependenciesFailed) return { ok: false, diagnostics: evaluated.diagnostics };
  const raw = evaluated.attributes;
  const checked = checkDeclaration(kind, raw, isUnknown);
  const unknownAttributes = new Map<string, string>();
  for (const name of checked.pending) unknownAttributes.set(name, firstUnknown(raw[name])?.$unknown ?? `${instance.address}.${name}`);
  if (!checked.spec) return { ok: false, attributes: raw, diagnostics: checked.issues.map((issue) => invalid(instance, kind, raw, evaluated.sensitive, unknownAttributes, issue)) };
  const spec: Spec = { ...checked.spec };
  for (const [name, ref] of unknownAttributes) spec[name] = { $unknown: ref };
  const diagnostics = workspaceIds(instance, spec, cloudIds);
  if (diagnostics.length) return { ok: false, attributes: raw, diagnostics };
  return { ok: true, declared: { attributes: raw, spec, tainted: evaluated.sensitive, label: safeLabel(kind, spec, evaluated.sensitive) }, diagnostics: [] };
}

function invalid(instance: ResourceInstance, kind: Kind, raw: Record<string, unknown>, tainted: ReadonlySet<string>, unknown: ReadonlyMap<string, string>, issue: { path: (string | number)[]; message: string }): Diagnostic {
  const attribute = issue.path.join(".");
  const top = String(issue.path[0] ?? "");
  const value = raw[top];
  const fact = attributeFactsOf(kind)[top];
  const sensitive = (fact ? sensitiveAnywhere(fact) : false) || tainted.has(top);
  return error("ATTRIBUTE_INVALID", `Invalid ${attribute || "declaration"} for ${safeLabel(kind, { ...raw } as Spec, tainted)}`, {
    file: instance.block.location.file,
    line: instance.block.attributeLines[top] ?? instance.block.location.line,
    address: instance.address,
    attribute: attribute || undefined,
    expression: top && value !== undefined && !sensitive && !unknown.has(top) ? JSON.stringify(value) : undefined,
    detail: `${attribute ? `${attribute} ` : ""}${sensitive ? SENSITIVE_ISSUE : issue.message}.`,
  });
}

/**
 * account_id/workspace_id on a resource may only repeat the provider's workspace: one run talks
 * to one workspace. Once checked they say nothing more than the provider does, so they leave the spec.
 */
function workspaceIds(instance: ResourceInstance, spec: Spec, cloudIds?: { accountId: string; workspaceId: string }): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [attribute, expected] of [["account_id", cloudIds?.accountId], ["workspace_id", cloudIds?.workspaceId]] as const) {
    const declaredId = spec[attribute];
    if (typeof declaredId !== "string") continue;
    if (!expected || declaredId.toLowerCase() !== expected.toLowerCase()) {
      diagnostics.push(
        error("ATTRIBUTE_INVALID", `${attribute} of ${instance.address} differs from the provider's`, {
          file: instance.block.location.file,
          line: instance.block.attributeLines[attribute] ?? instance.block.location.line,
          address: instance.address,
          attribute,
          expression: JSON.stringify(declaredId),
          detail: expected
            ? `The provider addresses ${attribute.replace("_id", "")} ${expected}; one run manages one workspace. Remove ${attribute}, or put this resource in a configuration whose provider addresses that workspace.`
            : `The provider does not address a Prefect Cloud workspace. Remove ${attribute}, or set account_id and workspace_id on the provider "prefect" block.`,
        }),
      );
    }
    delete spec[attribute];
  }
  return diagnostics;
}
