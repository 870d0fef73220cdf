// TfDiagnostic -> the protocol's Diagnostic, and the diagnostics the server itself makes when a
// call fails (a bad value, a type it does not serve, an exception from the resource side).
import type { TfDiagnostic } from "./contract.js";
import { CodecError, type CtyType } from "./codec/cty-type.js";
import { attributePathSteps, type StepMessage } from "./attribute-path.js";

export interface DiagnosticMessage {
  severity: "ERROR" | "WARNING";
  summary: string;
  detail: string;
  attribute?: { steps: StepMessage[] };
}

/** `type` is the type of the value the path points into (the resource's, the provider block's). */
export function diagnosticMessage(diagnostic: TfDiagnostic, type?: CtyType): DiagnosticMessage {
  const message: DiagnosticMessage = { severity: diagnostic.severity === "warning" ? "WARNING" : "ERROR", summary: diagnostic.summary, detail: diagnostic.detail ?? "" };
  if (diagnostic.attribute && diagnostic.attribute.length > 0 && type) {
    const steps = attributePathSteps(diagnostic.attribute, type);
    if (steps.length > 0) message.attribute = { steps };
  }
  return message;
}

export const diagnosticMessages = (diagnostics: readonly TfDiagnostic[], type?: CtyType): DiagnosticMessage[] => diagnostics.map((d) => diagnosticMessage(d, type));

export function errorDiagnostic(summary: string, detail: string, attribute?: TfDiagnostic["attribute"]): TfDiagnostic {
  return { severity: "error", summary, detail, ...(attribute ? { attribute } : {}) };
}

/**
 * What a failure inside a call becomes. A codec error names the attribute (never its value);
 * anything else is reported with its message, which the resource side keeps free of secrets.
 */
export function failureDiagnostic(rpc: string, error: unknown): TfDiagnostic {
  if (error instanceof CodecError) {
    return errorDiagnostic(`Invalid value in ${rpc}`, `${error.message}. This is a bug in the prefect provider or a mismatch between its schema and Terraform's; please report it.`, [...error.path]);
  }
  const message = error instanceof Error ? error.message : String(error);
  return errorDiagnostic(`The prefect provider failed in ${rpc}`, message);
}

export function notSupported(what: string): TfDiagnostic {
  return errorDiagnostic(`${what} is not supported`, `The prefect provider does not implement ${what}.`);
}
