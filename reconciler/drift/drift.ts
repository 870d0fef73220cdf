// The drift audit: a read-only comparison of the live workspace with the declaration (changes
// an apply would make) and with the last apply (changes made outside prefect-gitops), plus
// live objects that look like declared ones but are not owned, and kinds that could not be read.
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import type { DriftEntry, ResourceChange } from "../plan/model.js";
import type { PlanResult } from "../plan/plan.js";
import type { Style } from "../plan/render-text.js";
import { changeSymbol, formatValue } from "../plan/render-text.js";

export interface DriftReport {
  /** Changed in Prefect since the last apply. */
  modified: DriftEntry[];
  /** Deleted in Prefect since the last apply. */
  deleted: DriftEntry[];
  /** Declared but different live (what `apply` would change). */
  pending: ResourceChange[];
  /** Live objects with a declared natural key that the state does not own. */
  lookalikes: PlanResult["lookalikes"];
  /** With `drift --unmanaged`: every live object of the declared kinds that the state does not own. */
  unmanaged?: { type: string; id: string; label: string }[];
  /** Kinds that could not be read, so their objects were not checked. */
  unchecked: PlanResult["unchecked"];
  /** Problems other than look-alikes (invalid configuration...). */
  errors: Diagnostic[];
  clean: boolean;
}

export function driftReport(result: PlanResult, unmanaged?: DriftReport["unmanaged"]): DriftReport {
  const { plan } = result;
  const errors = plan.diagnostics.filter((d) => d.severity === "error" && d.code !== "RESOURCE_EXISTS");
  const pending = plan.changes.filter((change) => change.action !== "no-op" || change.importing);
  const report: DriftReport = {
    modified: plan.drift.filter((entry) => entry.kind === "modified"),
    deleted: plan.drift.filter((entry) => entry.kind === "deleted"),
    pending,
    lookalikes: result.lookalikes,
    unchecked: result.unchecked,
    ...(unmanaged ? { unmanaged } : {}),
    errors,
    clean: false,
  };
  report.clean = !report.modified.length && !report.deleted.length && !report.pending.length && !report.lookalikes.length && !report.unchecked.length;
  return report;
}

export function renderDriftText(report: DriftReport, style: Style): string {
  const out: string[] = [];
  for (const diagnostic of report.errors) out.push(style.red(formatDiagnostic(diagnostic)), "");
  if (report.clean && !report.errors.length && !report.unmanaged?.length) return style.green("No drift: the live workspace matches the configuration and the last apply.");
  if (report.clean && !report.errors.length) out.push(style.green("No drift: the live workspace matches the configuration and the last apply."), "");
  const section = (title: string, lines: string[]) => {
    if (!lines.length) return;
    out.push(style.bold(title), ...lines, "");
  };
  section(
    "Changed outside prefect-gitops since the last apply:",
    report.modified.flatMap((entry) => [
      `  ~ ${entry.address} (${entry.label}, id ${entry.id})`,
      ...entry.changes.map((change) => `      ${change.path.join(".")}: ${formatValue(change.before)} -> ${formatValue(change.after)}`),
    ]),
  );
  section("Deleted outside prefect-gitops:", report.deleted.map((entry) => `  - ${entry.address} (${entry.label}, id ${entry.id})`));
  section(
    "Different from the configuration (apply would change):",
    report.pending.map((change) => {
      const action = change.importing && change.action === "no-op" ? "import" : change.action;
      return `  ${changeSymbol(change)} ${change.address} (${action}${change.reason ? `: ${change.reason}` : ""})`;
    }),
  );
  section(
    "Unmanaged look-alikes (exist with a declared name but are not owned):",
    report.lookalikes.map((item) => `  ? ${item.address}: ${item.label} (id ${item.id}) — import it: prefect-gitops import ${item.address} ${item.id}`),
  );
  section("Not managed by this state (--unmanaged):", (report.unmanaged ?? []).map((item) => `  ? ${item.type}: ${item.label} (id ${item.id})`));
  section("Could not check:", report.unchecked.map((item) => `  ! ${item.type}: ${item.reason}`));
  return out.join("\n").trimEnd();
}
