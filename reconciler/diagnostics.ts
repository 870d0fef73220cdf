// Problems found in a configuration or during a run, collected rather than thrown one at a
// time: each names where it is (file, line, resource address, attribute), what is wrong and
// how to fix it. Secrets never go into a diagnostic: values are only quoted for attributes
// that are not sensitive.

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** A stable code for problems other commands treat specially (`blocked_by_existing`). */
  code?: string;
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

/** A run stopped by one or more error diagnostics. */
export class DiagnosticsError extends Error {
  readonly code = "invalid_configuration";
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic).join("\n\n") || "invalid configuration");
    this.name = "DiagnosticsError";
  }
}

export function error(summary: string, fields: Omit<Diagnostic, "severity" | "summary"> = {}): Diagnostic {
  return { severity: "error", summary, ...fields };
}

export function warning(summary: string, fields: Omit<Diagnostic, "severity" | "summary"> = {}): Diagnostic {
  return { severity: "warning", summary, ...fields };
}

/** Throw when any diagnostic is an error. */
export function throwIfErrors(diagnostics: Diagnostic[]): void {
  if (diagnostics.some((d) => d.severity === "error")) throw new DiagnosticsError(diagnostics);
}

/** Terraform-style text: `Error: summary` / `  on file line N, in resource "x" "y":` / attribute and detail. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const lines = [`${diagnostic.severity === "error" ? "Error" : "Warning"}: ${diagnostic.summary}`];
  const place: string[] = [];
  if (diagnostic.file) place.push(`on ${diagnostic.file}${diagnostic.line ? ` line ${diagnostic.line}` : ""}`);
  if (diagnostic.address) place.push(`in ${diagnostic.address}`);
  if (place.length) lines.push(`  ${place.join(", ")}:`);
  if (diagnostic.attribute) lines.push(`  ${diagnostic.attribute}${diagnostic.expression !== undefined ? ` = ${diagnostic.expression}` : ""}`);
  else if (diagnostic.expression !== undefined) lines.push(`  ${diagnostic.expression}`);
  if (diagnostic.detail) lines.push("", ...diagnostic.detail.split("\n").map((line) => `  ${line}`));
  return lines.join("\n");
}
