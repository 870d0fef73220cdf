// drift: read-only audit; exit 0 clean, 2 drift, 1 error.
import { driftReport, renderDriftText } from "../drift/drift.js";
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK, type CommandContext } from "./context.js";
import { withEngine } from "./run.js";
import { kindFor } from "../../provider/kinds/registry.js";
import type { LiveInventory } from "../plan/plan.js";
import type { StateDocument } from "../state/model.js";

/** Every live object read that the state does not own (objects Prefect manages itself left out). */
function unmanagedObjects(live: LiveInventory, state: StateDocument): { type: string; id: string; label: string }[] {
  const owned = new Set(Object.values(state.resources).map((entry) => `${entry.type}:${entry.id}`));
  const out: { type: string; id: string; label: string }[] = [];
  for (const [type, inventory] of live.kinds) {
    const kind = kindFor(type);
    if (!kind) continue;
    for (const [id, object] of inventory.byId) {
      if (owned.has(`${type}:${id}`) || kind.systemManaged?.(object)) continue;
      out.push({ type, id, label: kind.label(kind.toSpec(object)) });
    }
  }
  return out.sort((a, b) => a.type.localeCompare(b.type) || a.label.localeCompare(b.label));
}

export async function driftCommand(ctx: CommandContext, dirArg: string | undefined, flags: { json?: boolean; unmanaged?: boolean }): Promise<number> {
  return withEngine({ ...ctx, json: flags.json }, dirArg, async (engine) => {
    const { config } = await engine.load();
    const state = await engine.openState();
    // Read-only: no lock is taken and nothing is written.
    // Scoped reads (what the state owns, what is declared) unless every unmanaged object is wanted.
    const live = flags.unmanaged ? await engine.readScoped(config, state, await engine.context(), true) : undefined;
    const result = await engine.plan(state, { mode: "normal", live });
    const report = driftReport(result, live && unmanagedObjects(live, state.document));
    if (flags.json) ctx.out(JSON.stringify(report, null, 2));
    else ctx.out(renderDriftText(report, ctx.style));
    if (report.errors.length) return EXIT_ERROR;
    return report.clean ? EXIT_OK : EXIT_CHANGES;
  });
}
