// Problems found in a configuration or during a run, collected rather than thrown one at a
// time: each names where it is (file, line, resource address, attribute), what is wrong and
// how to fix it. Secrets never go into a diagnostic: values are only quoted for attributes
// that are not sensitive. Every diagnostic has a code from ERROR_CODES (reconciler/errors.ts).
import { codeLine, EngineError, ERROR_CODES, type ErrorCode } from "./errors.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** A stable code (ERROR_CODES, listed in README) that CI and the reconcile loop can match on. */
  code: ErrorCode;
  /** One line: what is wrong. */
  summary: string;
  /** What was expected and how to fix it. */
  detail?: string;
  file?: string;
  line?: number;
  address?: string;
  attribute?: string;
  /** The expression the problem is in, as written. */
  expression?: string;
}

/**
 * A run stopped by one or more error diagnostics. Its code is the first error's; it is
 * retryable only when every error is.
 */
export class DiagnosticsError extends EngineError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(errors[0]?.code ?? "CONFIG_INVALID", errors.map(formatDiagnostic).join("\n\n") || "invalid configuration", { address: errors[0]?.address, attribute: errors[0]?.attribute });
  }

  override get retryable(): boolean {
    const errors = this.diagnostics.filter((d) => d.severity === "error");
    return errors.length > 0 && errors.every((d) => ERROR_CODES[d.code].retryable);
  }
}

type DiagnosticFields = Omit<Diagnostic, "severity" | "summary" | "code">;

export function error(code: ErrorCode, summary: string, fields: DiagnosticFields = {}): Diagnostic {
  return { severity: "error", code, summary, ...fields };
}

export function warning(code: ErrorCode, summary: string, fields: DiagnosticFields = {}): Diagnostic {
  return { severity: "warning", code, summary, ...fields };
}

/** Throw when any diagnostic is an error. */
export function throwIfErrors(diagnostics: Diagnostic[]): void {
  if (diagnostics.some((d) => d.severity === "error")) throw new DiagnosticsError(diagnostics);
}

/** Terraform-style text: `Error: summary` / `  on file line N, in resource "x" "y":` / attribute and detail / the code. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const lines = [`${diagnostic.severity === "error" ? "Error" : "Warning"}: ${diagnostic.summary}`];
  const place: string[] = [];
  if (diagnostic.file) place.push(`on ${diagnostic.file}${diagnostic.line ? ` line ${diagnostic.line}` : ""}`);
  if (diagnostic.address) place.push(`in ${diagnostic.address}`);
  if (place.length) lines.push(`  ${place.join(", ")}:`);
  if (diagnostic.attribute) lines.push(`  ${diagnostic.attribute}${diagnostic.expression !== undefined ? ` = ${diagnostic.expression}` : ""}`);
  else if (diagnostic.expression !== undefined) lines.push(`  ${diagnostic.expression}`);
  if (diagnostic.detail) lines.push("", ...diagnostic.detail.split("\n").map((line) => `  ${line}`));
  lines.push(`  ${codeLine(diagnostic.code)}`);
  return lines.join("\n");
}
