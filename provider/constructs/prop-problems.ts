// The engine names attributes as Terraform does (`concurrency_limit`, `pull_steps.0.branch`);
// someone reading a synth error wrote camelCase props (`concurrencyLimit`, `pullSteps[0].branch`).
// These helpers restate the kind's problems in the props' words, the rules staying the kind's.
import type { KindSchema } from "../kinds/kind.js";
import { kindIssues } from "./support.js";

/** snake_case -> camelCase. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** `pull_steps.0.branch` -> `pullSteps[0].branch`; `names` renames a whole path, or else its first segment. */
function propPath(path: string, names: Readonly<Record<string, string>>): string {
  const whole = names[path];
  if (whole !== undefined) return whole;
  return path
    .split(".")
    .map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : `${index ? "." : ""}${index === 0 ? (names[segment] ?? camel(segment)) : camel(segment)}`))
    .join("");
}

/**
 * The problems the engine would report for these Terraform attributes (see `kindIssues`),
 * each starting with the prop it comes from: `names` maps an attribute (or an attribute path)
 * to its prop where the prop is not simply the camelCase attribute (`is_paused` -> `paused`).
 */
export function propProblems(kind: KindSchema, attributes: Record<string, unknown>, names: Readonly<Record<string, string>> = {}): string[] {
  return kindIssues(kind, attributes).map((issue) => {
    const path = issue.path.join(".");
    return path === "" ? issue.message : `${propPath(path, names)}: ${issue.message}`;
  });
}
