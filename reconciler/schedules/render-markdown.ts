// Schedule previews as GitHub markdown, for the GitOps pull-request comment: deployments whose
// runs change first, then a table of next runs per changed schedule, before beside after.
import { formatRunTime } from "./format.js";
import type { ScheduleLike } from "./next-runs.js";
import type { RunsPreview, SchedulePreview } from "./previews.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Inline code that survives a table cell: no newline, no unescaped pipe. */
function code(text: string): string {
  return "`" + text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/`/g, "'") + "`";
}

function describe(schedule: ScheduleLike): string {
  const zone = schedule.timezone ? ` in ${schedule.timezone}` : "";
  if (schedule.cron !== undefined) return `cron ${code(schedule.cron)}${schedule.day_or === false ? " (day_or false)" : ""}${zone}`;
  if (schedule.interval !== undefined) return `every ${schedule.interval} s${schedule.anchor_date ? ` from ${code(schedule.anchor_date)}` : ""}${zone}`;
  if (schedule.rrule !== undefined) return `rrule ${code(schedule.rrule)}${zone}`;
  return "no schedule";
}

/** A run as `Mon 2026-03-09T09:00:00-04:00[America/New_York]`: the weekday helps read day rules. */
function run(instant: Date, timeZone: string): string {
  const text = formatRunTime(instant, timeZone);
  const weekday = WEEKDAYS[new Date(`${text.slice(0, 10)}T00:00:00Z`).getUTCDay()] ?? "";
  return `${weekday} ${text}`;
}

/** What a side shows instead of runs, if anything. */
function noRuns(side: RunsPreview): string | undefined {
  if (side.problem) return `cannot compute: ${side.problem}`;
  if (!side.active) return "no runs (inactive)";
  if (!side.runs.length) return "no more runs";
  return undefined;
}

function table(preview: SchedulePreview): string[] {
  const sides = [preview.before && (["before", preview.before] as const), preview.after && (["after", preview.after] as const)].filter((side) => !!side);
  const rows = Math.max(1, ...sides.map(([, side]) => (noRuns(side) ? 1 : side.runs.length)));
  const lines = [`| # | ${sides.map(([name]) => name).join(" | ")} |`, `|---|${sides.map(() => "---").join("|")}|`];
  for (let index = 0; index < rows; index++) {
    const cells = sides.map(([, side]) => {
      const instead = noRuns(side);
      if (instead) return index === 0 ? instead : "";
      const instant = side.runs[index];
      return instant ? run(instant, side.timeZone) : "";
    });
    lines.push(`| ${index + 1} | ${cells.join(" | ")} |`);
  }
  return lines;
}

function section(preview: SchedulePreview): string[] {
  const lines = [`**${code(preview.address)}** (${preview.action}${preview.runsChange ? "" : ", runs unchanged"})`, ""];
  const described = [preview.before, preview.after].flatMap((side) => (side ? [describe(side.schedule)] : []));
  lines.push(described.join(" → "), "");
  lines.push(...table(preview), "");
  if (preview.after?.anchorAssumed && preview.after.active) {
    lines.push("_No anchor_date declared: Prefect counts the interval from when it stores the schedule; shown from now._", "");
  }
  return lines;
}

/** Deployments in first-seen order, those whose runs change first. */
function byDeployment(previews: readonly SchedulePreview[]): [string, SchedulePreview[]][] {
  const groups = new Map<string, SchedulePreview[]>();
  for (const preview of previews) groups.set(preview.deployment, [...(groups.get(preview.deployment) ?? []), preview]);
  const changes = (group: SchedulePreview[]) => group.some((preview) => preview.runsChange);
  return [...groups].sort(([, a], [, b]) => Number(changes(b)) - Number(changes(a)));
}

/**
 * Markdown for the schedule previews of a plan, or "" when no schedule changes.
 *
 * @example
 * renderSchedulePreviews(schedulePreviews(scheduleChangesOf(plan), { now: new Date() }));
 */
export function renderSchedulePreviews(previews: readonly SchedulePreview[]): string {
  if (!previews.length) return "";
  const groups = byDeployment(previews);
  const changed = groups.filter(([, group]) => group.some((preview) => preview.runsChange)).map(([deployment]) => deployment);
  const lines = ["### Schedule previews", "", "Next runs of each changed schedule in its time zone, computed as Prefect's server computes them.", ""];
  lines.push(changed.length ? `**Runs change for:** ${changed.join(", ")}` : "**No deployment's runs change.**", "");
  for (const [deployment, group] of groups) {
    lines.push(`#### ${deployment}`, "");
    for (const preview of [...group].sort((a, b) => Number(b.runsChange) - Number(a.runsChange))) lines.push(...section(preview));
  }
  return lines.join("\n").trimEnd() + "\n";
}
