// import ADDRESS ID: record an existing object under a declared address, without changing it.
import { kindFor } from "../../provider/kinds/registry.js";
import { DiagnosticsError, error } from "../diagnostics.js";
import { declaredEntry, taintedAttributes } from "../import/state-entry.js";
import { safeLabel } from "../plan/mask.js";
import { EngineError } from "../errors.js";
import { EXIT_OK, type CommandContext } from "./context.js";
import { reportFailure, withEngine, withLock } from "./run.js";

export async function importCommand(ctx: CommandContext, address: string | undefined, id: string | undefined, dirArg: string | undefined): Promise<number> {
  if (!address || !id) {
    return reportFailure(ctx, new EngineError("ARGUMENT_INVALID", "import needs an ADDRESS and an ID, e.g. prefect-gitops import prefect_work_pool.etl 0b1c... (or --all)."));
  }
  return withEngine(ctx, dirArg, async (engine) => {
    const { config } = await engine.load();
    const instance = config.instances.find((candidate) => candidate.address === address);
    const type = address.split(".")[0] ?? "";
    if (!instance) {
      throw new DiagnosticsError([
        error("ADDRESS_UNKNOWN", `${address} is not declared in the configuration`, {
          detail: `Declare it first, then import it:\n  resource "${type}" "${address.split(".")[1]?.replace(/\[.*$/, "") ?? "NAME"}" { ... }\nDeclared: ${config.instances.map((candidate) => candidate.address).join(", ") || "nothing"}.`,
        }),
      ]);
    }
    const kind = kindFor(type);
    if (!kind) throw new DiagnosticsError([error("RESOURCE_TYPE_UNSUPPORTED", `Unsupported resource type ${type}`, { address })]);
    const state = await engine.openState();
    const kindContext = await engine.context();
    return withLock(ctx, state, "import", async () => {
      const existing = state.document.resources[address];
      if (existing) {
        throw new EngineError("IDENTITY_CONFLICT", `${address} is already managed (id ${existing.id}). Remove it first with prefect-gitops state rm ${address} to import another object.`, { address });
      }
      const owner = Object.values(state.document.resources).find((entry) => entry.type === type && entry.id === id);
      if (owner) {
        throw new EngineError("IDENTITY_CONFLICT", `${type} ${id} is already managed as ${owner.address}.`, { address });
      }
      const live = await kind.read(kindContext, id);
      if (live === undefined) {
        throw new EngineError("PREFECT_NOT_FOUND", `there is no ${kind.title} with id ${id} in ${(await engine.settings()).baseUrl}.`, { address });
      }
      await state.begin();
      await state.put(declaredEntry(config, instance, kind, live, state.salt));
      await state.save();
      ctx.out(ctx.style.green(`Import successful! ${address} now manages ${safeLabel(kind, kind.toSpec(live), taintedAttributes(config, instance))} (id ${id}).`));
      ctx.out("Run `prefect-gitops plan` to see how it differs from the configuration.");
      return EXIT_OK;
    });
  });
}
