// The check run of one stack on a commit: success when the plan is valid (changes or not),
// failure with each problem as an annotation on its file and line, so GitHub shows it in the diff.
import { posix } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import type { CheckAnnotation, CheckRun } from "../git/github.js";
import { hasChanges, type Plan } from "../plan/model.js";
import { changeCounts } from "./comment.js";

export function checkRunName(stack: string): string {
  return `prefect-gitops / ${stack}`;
}

/**
 * Where a diagnostic's file is in the repository: configuration files are named relative to the
 * stack's directory, prefect-gitops.yaml relative to the root (`inRoot`).
 */
function repositoryPath(file: string, stackPath: string, inRoot: boolean): string {
  return inRoot ? file : posix.join(stackPath, file);
}

export function annotationsOf(problems: Diagnostic[], stackPath: string, rootFiles: readonly string[]): CheckAnnotation[] {
  return problems
    .filter((problem) => problem.file)
    .map((problem) => {
      const line = problem.line ?? 1;
      return {
        path: repositoryPath(problem.file!, stackPath, rootFiles.includes(problem.file!)),
        start_line: line,
        end_line: line,
        annotation_level: problem.severity === "error" ? ("failure" as const) : ("warning" as const),
        title: problem.summary.slice(0, 255),
        message: [problem.summary, problem.detail].filter(Boolean).join("\n\n"),
      };
    });
}

export function renderCheckRun(input: { stack: string; stackPath: string; sha: string; plan?: Plan; problems: Diagnostic[]; rootFiles?: readonly string[] }): CheckRun {
  const problems = [...input.problems, ...(input.plan?.diagnostics ?? [])];
  const errors = problems.filter((problem) => problem.severity === "error");
  const annotations = annotationsOf(problems, input.stackPath, input.rootFiles ?? []);
  if (errors.length) {
    return {
      name: checkRunName(input.stack),
      headSha: input.sha,
      conclusion: "failure",
      title: `${errors.length} error${errors.length === 1 ? "" : "s"} in stack ${input.stack}`,
      summary: "The configuration cannot be planned. Each problem is annotated on its file and line; nothing was applied.",
      text: errors.map((problem) => "```\n" + formatDiagnostic(problem) + "\n```").join("\n\n").slice(0, 60_000),
      annotations,
    };
  }
  const plan = input.plan!;
  return {
    name: checkRunName(input.stack),
    headSha: input.sha,
    conclusion: "success",
    title: hasChanges(plan) ? `${plan.summary.add} to add, ${plan.summary.change} to change, ${plan.summary.destroy} to destroy` : "No changes",
    summary: hasChanges(plan) ? `The plan is valid: ${changeCounts(plan)}. The pull request comment shows the details.` : "The workspace matches the configuration.",
    annotations,
  };
}
