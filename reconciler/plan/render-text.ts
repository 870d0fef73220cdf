// The plan as terminal text, in Terraform's shape: one block per object with `+ ~ - -/+`,
// attribute-level changes, drift apart from changes, and the summary line.
import { formatDiagnostic } from "../diagnostics.js";
import { KNOWN_AFTER_APPLY, SENSITIVE, type Action, type DriftEntry, type Plan, type PlannedAttributeChange, type ResourceChange } from "./model.js";

export interface Style {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const plain = (text: string) => text;
export const NO_COLOR: Style = { green: plain, yellow: plain, red: plain, cyan: plain, bold: plain, dim: plain };
const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
export const ANSI: Style = { green: ansi(32, 39), yellow: ansi(33, 39), red: ansi(31, 39), cyan: ansi(36, 39), bold: ansi(1, 22), dim: ansi(2, 22) };

/** The block name of an instance address: `prefect_flow.etl[0]` -> `etl`. */
function blockName(address: string, type: string): string {
  return address.slice(type.length + 1).replace(/\[.*\]$/, "");
}

const SYMBOL: Record<Action, string> = { create: "+", update: "~", replace: "-/+", delete: "-", "no-op": " ", forget: "-" };

function colorFor(style: Style, action: Action): (text: string) => string {
  if (action === "create") return style.green;
  if (action === "update") return style.yellow;
  if (action === "no-op") return style.cyan;
  return style.red;
}

function headline(change: ResourceChange): string {
  const importing = change.importing ? " will be imported" : "";
  switch (change.action) {
    case "create":
      return `# ${change.address} will be created`;
    case "update":
      return `# ${change.address}${importing}${importing ? " and" : " will be"} updated in place`;
    case "replace":
      return `# ${change.address} must be replaced`;
    case "delete":
      return `# ${change.address} will be destroyed`;
    case "forget":
      return `# ${change.address} will be removed from the state`;
    default:
      return `# ${change.address}${importing}`;
  }
}

/** A value as HCL-ish text: strings quoted, objects and lists as indented JSON. */
export function formatValue(value: unknown, indent = ""): string {
  if (value === KNOWN_AFTER_APPLY || value === SENSITIVE) return `(${String(value).slice(1, -1)})`;
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object") return String(value);
  const compact = JSON.stringify(value);
  if (compact.length <= 60) return compact;
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

function attributeLines(change: ResourceChange, style: Style): string[] {
  const lines: string[] = [];
  const color = colorFor(style, change.action);
  const width = (names: string[]) => Math.max(0, ...names.map((name) => name.length));
  if (change.action === "create") {
    const after = change.after ?? {};
    const names = Object.keys(after).filter((name) => after[name] !== null && after[name] !== undefined).sort();
    const pad = width(names);
    for (const name of names) lines.push(`      ${color("+")} ${name.padEnd(pad)} = ${formatValue(after[name], "        ")}`);
    return lines;
  }
  if (change.action === "delete" || change.action === "forget") {
    const before = change.before ?? {};
    const names = Object.keys(before).filter((name) => before[name] !== null && before[name] !== undefined).sort();
    const pad = width(names);
    for (const name of names) lines.push(`      ${color("-")} ${name.padEnd(pad)} = ${formatValue(before[name], "        ")} -> null`);
    return lines;
  }
  const changed = change.changes;
  const changedNames = new Set(changed.map((item) => String(item.path[0])));
  const all = Object.keys(change.before ?? {});
  const pad = width([...changed.map((item) => item.path.join(".")), "id"]);
  if (change.id) lines.push(`        ${"id".padEnd(pad)} = ${JSON.stringify(change.id)}`);
  for (const item of changed) lines.push(attributeChange(item, pad, style, change.action));
  const hidden = all.filter((name) => !changedNames.has(name) && name !== "id").length;
  if (hidden) lines.push(style.dim(`        # (${hidden} unchanged attribute${hidden === 1 ? "" : "s"} hidden)`));
  return lines;
}

function attributeChange(item: PlannedAttributeChange, pad: number, style: Style, action: Action): string {
  const name = item.path.join(".").padEnd(pad);
  const forces = item.impact === "replace" && action === "replace" ? style.red(" # forces replacement") : "";
  if (item.before === null || item.before === undefined) return `      ${style.green("+")} ${name} = ${formatValue(item.after, "        ")}${forces}`;
  if (item.after === null || item.after === undefined) return `      ${style.red("-")} ${name} = ${formatValue(item.before, "        ")} -> null${forces}`;
  return `      ${style.yellow("~")} ${name} = ${formatValue(item.before, "        ")} -> ${formatValue(item.after, "        ")}${forces}`;
}

/** The symbol in front of a change: Terraform's, and `<=` for an import that changes nothing. */
export function changeSymbol(change: ResourceChange): string {
  return change.importing && change.action === "no-op" ? "<=" : SYMBOL[change.action];
}

function renderChange(change: ResourceChange, style: Style): string {
  const color = colorFor(style, change.action);
  const symbol = changeSymbol(change);
  const lines = [`  ${style.bold(headline(change))}`];
  if (change.reason) lines.push(`  # (${change.reason})`);
  lines.push(`${color(symbol.padStart(3))} resource "${change.type}" "${blockName(change.address, change.type)}" {`);
  lines.push(...attributeLines(change, style));
  lines.push("    }");
  return lines.join("\n");
}

function renderDrift(entry: DriftEntry, style: Style): string {
  if (entry.kind === "deleted") return `  ${style.bold(`# ${entry.address} has been deleted`)}\n  ${style.red("-")} resource "${entry.type}" "${blockName(entry.address, entry.type)}" (id ${entry.id})`;
  const lines = [`  ${style.bold(`# ${entry.address} has changed`)}`, `  ${style.yellow("~")} resource "${entry.type}" "${blockName(entry.address, entry.type)}" {`];
  const pad = Math.max(...entry.changes.map((item) => item.path.join(".").length));
  for (const item of entry.changes) lines.push(attributeChange(item, pad, style, "update"));
  lines.push("    }");
  return lines.join("\n");
}

export function summaryLine(plan: Plan): string {
  const { add, change, destroy, import: imported } = plan.summary;
  const parts = [imported ? `${imported} to import, ` : "", `${add} to add, ${change} to change, ${destroy} to destroy.`];
  return `Plan: ${parts.join("")}`;
}

/** The whole plan as text. */
export function renderPlanText(plan: Plan, style: Style = NO_COLOR): string {
  const out: string[] = [];
  const errors = plan.diagnostics.filter((d) => d.severity === "error");
  const warnings = plan.diagnostics.filter((d) => d.severity === "warning");
  if (plan.drift.length) {
    out.push(style.bold("Objects have changed outside of prefect-gitops"), "", "prefect-gitops detected the following changes made outside of prefect-gitops since the last apply:", "");
    for (const entry of plan.drift) out.push(renderDrift(entry, style), "");
  }
  if (errors.length) {
    for (const diagnostic of errors) out.push(style.red(formatDiagnostic(diagnostic)), "");
    return out.join("\n").trimEnd();
  }
  const actionable = plan.changes.filter((change) => change.action !== "no-op" || change.importing);
  if (!actionable.length) {
    if (plan.mode === "refresh-only") {
      out.push(plan.drift.length ? "Apply this refresh-only plan to update the state to match." : style.bold("No changes.") + " The state matches the live objects.");
    } else {
      out.push(style.bold(style.green("No changes.")) + " Your Prefect workspace matches the configuration.");
    }
  } else {
    out.push("prefect-gitops will perform the following actions:", "");
    for (const change of actionable) out.push(renderChange(change, style), "");
    out.push(style.bold(summaryLine(plan)));
  }
  for (const diagnostic of warnings) out.push("", style.yellow(formatDiagnostic(diagnostic)));
  return out.join("\n").trimEnd();
}

/** Outputs after an apply, Terraform-style; sensitive values are never shown. */
export function renderOutputs(outputs: { name: string; value: unknown; sensitive: boolean; error?: string }[], style: Style = NO_COLOR): string {
  if (!outputs.length) return "";
  const width = Math.max(...outputs.map((output) => output.name.length));
  const lines = outputs.map((output) => {
    const shown = output.error ? style.yellow(`(not known: ${output.error})`) : output.sensitive ? SENSITIVE : formatValue(output.value);
    return `${output.name.padEnd(width)} = ${shown}`;
  });
  return [style.bold(style.green("Outputs:")), "", ...lines].join("\n");
}
