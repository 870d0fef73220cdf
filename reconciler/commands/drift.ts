// drift: read-only audit; exit 0 clean, 2 drift, 1 error.
import { driftReport, renderDriftText } from "../drift/drift.js";
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK, type CommandContext } from "./context.js";
import { withEngine } from "./run.js";

export async function driftCommand(ctx: CommandContext, dirArg: string | undefined, flags: { json?: boolean }): Promise<number> {
  return withEngine(ctx, dirArg, async (engine) => {
    await engine.load();
    const state = await engine.openState();
    // Read-only: no lock is taken and nothing is written.
    const result = await engine.plan(state, { mode: "normal" });
    const report = driftReport(result);
    if (flags.json) ctx.out(JSON.stringify(report, null, 2));
    else ctx.out(renderDriftText(report, ctx.style));
    if (report.errors.length) return EXIT_ERROR;
    return report.clean ? EXIT_OK : EXIT_CHANGES;
  });
}
