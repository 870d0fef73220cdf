// The pull request comment of one stack, as GitHub markdown: summary first (what happens, the
// `+ ~ - -/+` counts, problems), the full plan collapsed below, split into parts that each stay
// under GitHub's 65,536-character limit. A hidden marker names the stack and the part, so the
// next run finds its own comments and updates them in place.
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { hasChanges, type Plan } from "../plan/model.js";
import { NO_COLOR, renderPlanText } from "../plan/render-text.js";

/** GitHub refuses a comment body longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What a part may hold, leaving room for its header, marker and fences. */
const PART_BUDGET = 60_000;

/**
 * The hook for schedule previews (reconciler/schedules/, next runs of each changed schedule):
 * given the plan, markdown to show under the summary, or undefined for nothing.
 */
export type SchedulePreviewRenderer = (plan: Plan) => string | undefined;

export interface PlanCommentInput {
  stack: string;
  /** The commit planned. */
  sha: string;
  /** The plan, when one could be made. */
  plan?: Plan;
  /** Problems that stopped the plan (invalid configuration, synthesis failure). */
  problems?: Diagnostic[];
  /** What the comment is about: a plan of a pull request, or the result of an apply after merge. */
  heading?: string;
  /** Lines added under the summary (the apply's outcome). */
  notes?: string[];
  schedulePreviews?: SchedulePreviewRenderer;
}

export function commentMarker(stack: string, part: number): string {
  return `<!-- prefect-gitops:plan stack=${stack} part=${part} -->`;
}

/** Which stack and part a comment body is, or undefined for comments that are not ours. */
export function parseCommentMarker(body: string): { stack: string; part: number } | undefined {
  const match = /^<!-- prefect-gitops:plan stack=([a-z0-9-]+) part=(\d+) -->/.exec(body);
  return match ? { stack: match[1]!, part: Number(match[2]) } : undefined;
}

/** `+2 ~1 -0 -/+1`: creates, updates, deletes, replacements. */
export function changeCounts(plan: Plan): string {
  const count = (action: string) => plan.changes.filter((change) => change.action === action).length;
  return `\`+${count("create")} ~${count("update")} -${count("delete")} -/+${count("replace")}\``;
}

function problemsOf(input: PlanCommentInput): Diagnostic[] {
  return [...(input.problems ?? []), ...(input.plan?.diagnostics ?? [])].filter((d) => d.severity === "error");
}

function summary(input: PlanCommentInput): string[] {
  const { plan } = input;
  const problems = problemsOf(input);
  const lines = [`### ${input.heading ?? "prefect-gitops plan"}: stack \`${input.stack}\``, "", `Commit \`${input.sha.slice(0, 12)}\``, ""];
  if (problems.length) lines.push(`**:x: ${problems.length} error${problems.length === 1 ? "" : "s"}: nothing can be applied until ${problems.length === 1 ? "it is" : "they are"} fixed.**`, "");
  if (plan) {
    const { add, change, destroy, import: imported } = plan.summary;
    lines.push(
      hasChanges(plan) ? `**Plan:** ${imported ? `${imported} to import, ` : ""}${add} to add, ${change} to change, ${destroy} to destroy. ${changeCounts(plan)}` : "**No changes.** The workspace matches the configuration.",
      "",
    );
    const changed = plan.changes.filter((c) => c.action !== "no-op" || c.importing);
    if (changed.length) {
      lines.push("| | Object | Action |", "|---|---|---|");
      for (const c of changed) lines.push(`| \`${{ create: "+", update: "~", delete: "-", replace: "-/+", forget: "-", "no-op": " " }[c.action]}\` | \`${c.address}\` | ${c.importing && c.action === "no-op" ? "import" : c.action} |`);
      lines.push("");
    }
    const preview = input.schedulePreviews?.(plan);
    if (preview) lines.push(preview, "");
  }
  for (const note of input.notes ?? []) lines.push(note, "");
  for (const problem of problems) lines.push("```", formatDiagnostic(problem), "```", "");
  return lines;
}

/** Split text into chunks of at most `budget` characters, at line ends where possible. */
function chunks(text: string, budget: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const pieces = line.length > budget ? line.match(new RegExp(`[^]{1,${budget}}`, "g"))! : [line];
    for (const piece of pieces) {
      if (current.length + piece.length + 1 > budget && current) {
        out.push(current);
        current = "";
      }
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current || !out.length) out.push(current);
  return out;
}

/** The comment's parts, in order; each is below GitHub's limit. */
export function renderPlanComment(input: PlanCommentInput): string[] {
  const head = summary(input).join("\n");
  const details = input.plan && hasChanges(input.plan) ? renderPlanText(input.plan, NO_COLOR).replace(/```/g, "ʼʼʼ") : "";
  const detailBlocks = details ? chunks(details, PART_BUDGET - 200) : [];
  const headBlocks = chunks(head, PART_BUDGET);
  const parts: string[] = [...headBlocks];
  const wrap = (block: string, index: number, of: number) => `<details><summary>Plan details${of > 1 ? ` (${index + 1} of ${of})` : ""}</summary>\n\n\`\`\`diff\n${block}\n\`\`\`\n\n</details>`;
  detailBlocks.forEach((block, index) => {
    const rendered = wrap(block, index, detailBlocks.length);
    const last = parts.length - 1;
    if (index === 0 && parts[last]!.length + rendered.length + 2 <= PART_BUDGET) parts[last] = `${parts[last]}\n${rendered}`;
    else parts.push(rendered);
  });
  return parts.map((body, index) => `${commentMarker(input.stack, index + 1)}\n${index ? `_(continued, part ${index + 1} of ${parts.length})_\n\n` : ""}${body}`.trimEnd());
}
