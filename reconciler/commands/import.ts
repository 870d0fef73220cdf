// import ADDRESS ID: record an existing object under a declared address, without changing it.
import { resolve } from "node:path";
import { kindFor } from "../../provider/kinds/registry.js";
import { instanceReferences, type ResourceInstance } from "../config/resolve.js";
import { DiagnosticsError, error } from "../diagnostics.js";
import { taintedAttributes } from "../import/state-entry.js";
import { protectSpec, specHash } from "../state/hash.js";
import { EXIT_ERROR, EXIT_OK, engineFor, type CommandContext } from "./context.js";
import { guarded, withLock } from "./run.js";

export async function importCommand(ctx: CommandContext, address: string | undefined, id: string | undefined, dirArg: string | undefined): Promise<number> {
  if (!address || !id) {
    ctx.err(ctx.style.red("Error: import needs an ADDRESS and an ID, e.g. prefect-gitops import prefect_work_pool.etl 0b1c... (or --all)."));
    return EXIT_ERROR;
  }
  const dir = resolve(ctx.cwd, dirArg ?? ".");
  const engine = engineFor(ctx, dir);
  return guarded(ctx, engine, async () => {
    const { config } = await engine.load();
    const instance = config.instances.find((candidate) => candidate.address === address);
    const type = address.split(".")[0] ?? "";
    if (!instance) {
      throw new DiagnosticsError([
        error(`${address} is not declared in the configuration`, {
          detail: `Declare it first, then import it:\n  resource "${type}" "${address.split(".")[1]?.replace(/\[.*$/, "") ?? "NAME"}" { ... }\nDeclared: ${config.instances.map((candidate) => candidate.address).join(", ") || "nothing"}.`,
        }),
      ]);
    }
    const kind = kindFor(type);
    if (!kind) throw new DiagnosticsError([error(`Unsupported resource type ${type}`, { address })]);
    const state = await engine.openState();
    const kindContext = await engine.context();
    return withLock(ctx, state, "import", async () => {
      const existing = state.document.resources[address];
      if (existing) {
        ctx.err(ctx.style.red(`Error: ${address} is already managed (id ${existing.id}). Remove it first with prefect-gitops state rm ${address} to import another object.`));
        return EXIT_ERROR;
      }
      const owner = Object.values(state.document.resources).find((entry) => entry.type === type && entry.id === id);
      if (owner) {
        ctx.err(ctx.style.red(`Error: ${type} ${id} is already managed as ${owner.address}.`));
        return EXIT_ERROR;
      }
      const live = await kind.read(kindContext, id);
      if (live === undefined) {
        ctx.err(ctx.style.red(`Error: there is no ${kind.title} with id ${id} in ${(await engine.settings()).baseUrl}.`));
        return EXIT_ERROR;
      }
      const spec = kind.toSpec(live);
      const byBlock = new Map<string, ResourceInstance[]>();
      for (const candidate of config.instances) byBlock.set(`${candidate.type}.${candidate.name}`, [...(byBlock.get(`${candidate.type}.${candidate.name}`) ?? []), candidate]);
      await state.begin();
      await state.put({
        address,
        type,
        id: kind.idOf(live),
        identity: kind.identityOf(live),
        appliedHash: specHash(spec, state.salt),
        // What the declaration takes from sensitive variables is kept hashed, as apply keeps it.
        values: protectSpec(kind, spec, state.salt, taintedAttributes(config, instance)),
        dependencies: [...instanceReferences(instance, byBlock).references],
        preventDestroy: instance.block.lifecycle.preventDestroy || undefined,
        schemaVersion: kind.version,
        updatedAt: new Date().toISOString(),
      });
      await state.save();
      ctx.out(ctx.style.green(`Import successful! ${address} now manages ${kind.label(spec)} (id ${id}).`));
      ctx.out("Run `prefect-gitops plan` to see how it differs from the configuration.");
      return EXIT_OK;
    });
  });
}
