// quickstart (`npm start`): apply examples/quickstart to PREFECT_API_URL, or to a devserver it
// starts when that is unset; show the plan, apply it, show that a second plan has no changes
// and that drift is clean, and say what to try next.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { DevServer } from "../../devserver/index.js";
import { driftReport, renderDriftText } from "../drift/drift.js";
import { hasChanges, hasErrors } from "../plan/model.js";
import { renderPlanText } from "../plan/render-text.js";
import { EXIT_ERROR, EXIT_OK, engineFor, type CommandContext } from "./context.js";
import { guarded, withLock } from "./run.js";

export const QUICKSTART_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "quickstart");

/**
 * The quickstart stack's one secret: a sensitive variable (SecretValue.fromEnvironment), so its
 * value is in neither main.ts nor cdk.tf.json. Unless given (TF_VAR_, --var, a tfvars file
 * beside the stack), the quickstart passes this stand-in, so `npm start` needs no setup.
 */
export const QUICKSTART_SECRET = { variable: "slack_webhook_url", placeholder: "https://hooks.slack.com/services/T000/B000/XXXXXXXX" } as const;

export async function quickstartCommand(ctx: CommandContext): Promise<number> {
  let server: DevServer | undefined;
  let run = ctx;
  const external = ctx.env.PREFECT_API_URL;
  if (!external) {
    // Loaded only here: every other command starts without the devserver's code.
    const { startDevServer } = await import("../../devserver/index.js");
    server = await startDevServer({ port: 0 });
    run = { ...ctx, connection: { apiUrl: server.url } };
  }
  // A fresh state for the embedded devserver; beside the working directory for a real server.
  const stateDir = server ? mkdtempSync(join(tmpdir(), "prefect-gitops-quickstart-")) : join(ctx.cwd, ".prefect-gitops");
  run = { ...run, options: { ...run.options, state: run.options.state ?? join(stateDir, "quickstart.state.json") } };
  // Lowest precedence of the ways to give a variable: tfvars files and --var still win.
  const secretEnv = `TF_VAR_${QUICKSTART_SECRET.variable}`;
  const placeholderSecret = run.env[secretEnv] === undefined && run.options.vars[QUICKSTART_SECRET.variable] === undefined;
  if (placeholderSecret) run = { ...run, env: { ...run.env, [secretEnv]: QUICKSTART_SECRET.placeholder } };
  const engine = engineFor(run, QUICKSTART_DIR);
  const shown = relative(ctx.cwd, QUICKSTART_DIR) || QUICKSTART_DIR;
  const { bold, green, dim } = ctx.style;
  try {
    return await guarded(run, engine, async () => {
      const settings = await engine.settings();
      ctx.out(bold(`prefect-gitops quickstart: ${shown} -> ${settings.baseUrl}`));
      ctx.out(dim(server ? "No PREFECT_API_URL is set, so a local Prefect-compatible devserver was started for this run." : `Using PREFECT_API_URL from the environment.`));
      if (placeholderSecret) ctx.out(dim(`${secretEnv} is not set, so the secret block "etl-alerts" gets a placeholder value; set it to store your own.`));
      ctx.out("");
      await engine.load();
      const state = await engine.openState();
      return await withLock(run, state, "quickstart", async () => {
        ctx.out(bold("1. Plan: what the quickstart stack declares"));
        const first = await engine.plan(state);
        ctx.out(renderPlanText(first.plan, ctx.style));
        if (hasErrors(first.plan)) return EXIT_ERROR;

        ctx.out(`\n${bold("2. Apply")}`);
        const applied = await engine.apply(first, state, {
          onEvent: (event) => {
            if (event.type === "done") ctx.out(`  ${green("✓")} ${event.address} ${dim(`(${event.label})`)}`);
            if (event.type === "failed") ctx.err(ctx.style.red(`  ✗ ${event.address}: ${event.error.message}`));
            if (event.type === "skipped") ctx.err(ctx.style.yellow(`  - ${event.address}: skipped because ${event.because}`));
          },
        });
        if (applied.failed.length) return EXIT_ERROR;
        const { add, change, destroy } = first.plan.summary;
        ctx.out(green(`  Apply complete! Resources: ${add} added, ${change} changed, ${destroy} destroyed.`));

        ctx.out(`\n${bold("3. Plan again: nothing left to do")}`);
        const second = await engine.plan(state);
        ctx.out(renderPlanText(second.plan, ctx.style));
        if (hasErrors(second.plan) || hasChanges(second.plan)) return EXIT_ERROR;

        ctx.out(`\n${bold("4. Drift audit: live workspace vs configuration and last apply")}`);
        const drift = driftReport(await engine.plan(state));
        ctx.out(renderDriftText(drift, ctx.style));
        if (!drift.clean) return EXIT_ERROR;

        ctx.out(`\n${bold("What to try next")}`);
        const lines = [
          `Read the stack:            ${join(shown, "main.ts")}`,
          `Run your own devserver:    npm run devserver -- --port 4200 --data-dir .devserver`,
          `Give the stack its secret: export ${secretEnv}=https://hooks.slack.com/services/...  (plan, apply and drift need it)`,
          `Plan it yourself:          PREFECT_API_URL=http://127.0.0.1:4200/api npm run cli -- plan ${shown}`,
          `Apply, then change a schedule in main.ts and plan again to see an in-place update.`,
          `Change something in Prefect by hand and run: npm run cli -- drift ${shown}`,
          `Bring an existing workspace under management: npm run cli -- import --all --out imported.tf.json`,
          `More stacks:               examples/ (environments, event-chain, alerts, webhook, hcl)`,
        ];
        for (const line of lines) ctx.out(`  ${line}`);
        if (server) ctx.out(dim(`\n  (This run's devserver at ${server.url} stops now; its state file was ${run.options.state}.)`));
        return EXIT_OK;
      });
    });
  } finally {
    await server?.close();
  }
}
