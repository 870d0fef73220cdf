// The drift issue of one stack: one open issue per stack, found again by its label and hidden
// marker, listing what changed outside prefect-gitops. Updated while drift lasts, closed once
// the workspace is clean again.
import type { DriftReport } from "../drift/drift.js";
import { formatValue } from "../plan/render-text.js";

export const DRIFT_LABEL = "prefect-gitops-drift";

export function driftMarker(stack: string): string {
  return `<!-- prefect-gitops:drift stack=${stack} -->`;
}

export function isDriftIssueOf(body: string, stack: string): boolean {
  return body.startsWith(driftMarker(stack));
}

function code(text: string): string {
  return "`" + text.replace(/`/g, "ʼ") + "`";
}

export function renderDriftIssue(input: { stack: string; branch: string; sha: string; report: DriftReport; healed?: "applied" | "failed" }): { title: string; body: string } {
  const { report } = input;
  const lines = [driftMarker(input.stack), `The live workspace of stack ${code(input.stack)} differs from ${code(input.branch)} at ${code(input.sha.slice(0, 12))}.`, ""];
  if (report.modified.length) {
    lines.push("#### Changed outside prefect-gitops", "");
    for (const entry of report.modified) {
      lines.push(`- ${code(entry.address)} (${entry.label}, id ${code(entry.id)})`);
      for (const change of entry.changes) lines.push(`  - ${code(change.path.join("."))}: ${code(formatValue(change.before))} → ${code(formatValue(change.after))}`);
    }
    lines.push("");
  }
  if (report.deleted.length) lines.push("#### Deleted outside prefect-gitops", "", ...report.deleted.map((entry) => `- ${code(entry.address)} (${entry.label}, id ${code(entry.id)})`), "");
  const pendingOnly = report.pending.filter((change) => !report.modified.some((entry) => entry.address === change.address) && !report.deleted.some((entry) => entry.address === change.address));
  if (pendingOnly.length) lines.push("#### Different from the configuration", "", ...pendingOnly.map((change) => `- ${code(change.address)}: ${change.action}${change.reason ? ` (${change.reason})` : ""}`), "");
  if (report.lookalikes.length) lines.push("#### Not managed, with a declared name", "", ...report.lookalikes.map((item) => `- ${code(item.address)}: ${item.label} (id ${code(item.id)})`), "");
  if (report.unchecked.length) lines.push("#### Could not check", "", ...report.unchecked.map((item) => `- ${code(item.type)}: ${item.reason}`), "");
  if (input.healed === "applied") lines.push(`**Self-heal:** the branch was applied to correct the drift.`);
  else if (input.healed === "failed") lines.push(`**Self-heal:** applying the branch failed; the drift remains. See the workflow's log.`);
  else lines.push(`To correct it, change the configuration to match, or apply ${code(input.branch)} again (\`self_heal: true\` in prefect-gitops.yaml does it on each audit).`);
  return { title: `Drift in Prefect stack ${input.stack}`, body: lines.join("\n").slice(0, 60_000) };
}
