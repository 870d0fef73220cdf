// Errors as Terraform diagnostics: each names the attribute it is about where that is known, and
// none carries a secret (the client's errors never hold request or response bodies; messages
// about a sensitive attribute drop the value they would quote).
import { sensitiveAnywhere } from "../../kinds/attributes.js";
import { BlockDataError, UnknownBlockTypeError } from "../../kinds/block/errors.js";
import { attributeFactsOf, type KindSchema, type SpecIssue } from "../../kinds/kind.js";
import { ConfigurationError, ConflictError, PrefectApiError, PrefectError, ValidationError } from "../../client/errors.js";
import type { TfDiagnostic, TfPath } from "../plugin/contract.js";

/** A declaration problem on its attribute path; a message about a sensitive attribute loses the value it quotes. */
export function issueDiagnostic(kind: KindSchema, issue: SpecIssue): TfDiagnostic {
  const top = String(issue.path[0] ?? "");
  const facts = attributeFactsOf(kind)[top];
  const sensitive = facts !== undefined && sensitiveAnywhere(facts);
  const message = sensitive ? issue.message.replace(/, got .*$/s, "").replace(/;.*$/s, "") : issue.message;
  return {
    severity: "error",
    summary: `Invalid ${kind.type} ${issue.path.length ? issue.path.join(".") : "configuration"}`,
    detail: `${issue.path.length ? `${issue.path.join(".")} ` : ""}${message}${sensitive && message !== issue.message ? " (the value is not shown: the attribute is sensitive)" : ""}`,
    attribute: issue.path as TfPath,
  };
}

/** The attribute a 422's location points at (`["body", "name"]` -> `["name"]`), when it is one of the kind's. */
function attributeOfLocation(kind: KindSchema, loc: (string | number)[]): TfPath | undefined {
  const path = loc[0] === "body" ? loc.slice(1) : loc;
  const top = path[0];
  return typeof top === "string" && top in attributeFactsOf(kind) ? (path as TfPath) : undefined;
}

/** An error from an operation on a resource as diagnostics. */
export function errorDiagnostics(kind: KindSchema, doing: string, error: unknown, importHint?: string): TfDiagnostic[] {
  if (error instanceof ValidationError && error.issues.length) {
    return error.issues.map((issue) => ({
      severity: "error" as const,
      summary: `Prefect refused to ${doing} the ${kind.title}`,
      detail: `${issue.loc.join(".")}: ${issue.msg} (${error.method} ${error.route} answered ${error.status})`,
      attribute: attributeOfLocation(kind, issue.loc),
    }));
  }
  // The kinds' own checks before a write (a block's data against its block schema): each issue on its attribute.
  if (error instanceof BlockDataError) return error.issues.map((issue) => ({ ...issueDiagnostic(kind, issue), summary: `Could not ${doing} the ${kind.title}` }));
  if (error instanceof UnknownBlockTypeError) return [{ severity: "error", summary: `Could not ${doing} the ${kind.title}`, detail: error.message, attribute: ["type_slug"] }];
  if (error instanceof ConflictError) {
    return [
      {
        severity: "error",
        summary: `The ${kind.title} already exists`,
        detail: `${error.message}.${importHint ? ` To manage it here, import it: ${importHint}` : ""}`,
      },
    ];
  }
  if (error instanceof PrefectApiError || error instanceof ConfigurationError || error instanceof PrefectError) {
    return [{ severity: "error", summary: `Could not ${doing} the ${kind.title}`, detail: error.message }];
  }
  return [{ severity: "error", summary: `Could not ${doing} the ${kind.title}`, detail: error instanceof Error ? error.message : String(error) }];
}
