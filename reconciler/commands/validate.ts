// validate: offline checks of a configuration (schema, references, cycles, duplicate
// identities) without contacting Prefect.
import { kindFor, kindTypes } from "../../provider/kinds/registry.js";
import { formatDiagnostic } from "../diagnostics.js";
import { hasErrors } from "../plan/model.js";
import { buildPlan } from "../plan/plan.js";
import { emptyState } from "../state/model.js";
import { EXIT_ERROR, EXIT_OK, type CommandContext } from "./context.js";
import { withEngine } from "./run.js";

export async function validateCommand(ctx: CommandContext, dirArg: string | undefined, flags: { json?: boolean }): Promise<number> {
  return withEngine({ ...ctx, json: flags.json }, dirArg, async (engine) => {
    const { config, warnings } = await engine.load();
    // The connection is not needed, but when it is configured it tells whether Cloud-only kinds fit.
    let cloud = true;
    try {
      cloud = (await engine.settings()).cloud !== undefined;
    } catch {
      cloud = true;
    }
    const { plan } = buildPlan({
      config,
      kindFor,
      knownTypes: kindTypes(),
      state: emptyState("validate", "validate"),
      live: { kinds: new Map() },
      mode: "normal",
      adopt: false,
      cloud,
      target: "(offline)",
      now: new Date(),
    });
    const diagnostics = [...warnings, ...plan.diagnostics];
    if (flags.json) {
      ctx.out(JSON.stringify({ valid: !hasErrors(plan), resources: config.instances.length, diagnostics }, null, 2));
      return hasErrors(plan) ? EXIT_ERROR : EXIT_OK;
    }
    for (const diagnostic of diagnostics) ctx.err((diagnostic.severity === "error" ? ctx.style.red : ctx.style.yellow)(formatDiagnostic(diagnostic)) + "\n");
    if (hasErrors(plan)) return EXIT_ERROR;
    ctx.out(ctx.style.green(`Success! The configuration is valid (${config.instances.length} resource${config.instances.length === 1 ? "" : "s"}).`));
    return EXIT_OK;
  }, { offline: true });
}
