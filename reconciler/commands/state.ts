// state list | show ADDRESS | rm ADDRESS: inspect and edit the record of what is owned.
// These need only the state, never the configuration's validity or a connection (except the
// workspace backend, which lives in Prefect).
import { SENSITIVE } from "../plan/model.js";
import { isSensitiveHash } from "../state/hash.js";
import { StateStore } from "../state/store.js";
import { EngineError } from "../errors.js";
import { EXIT_OK, type CommandContext } from "./context.js";
import { withEngine, withLock } from "./run.js";

export async function stateCommand(ctx: CommandContext, action: "list" | "show" | "rm", address: string | undefined, flags: { dir?: string; json?: boolean }): Promise<number> {
  return withEngine({ ...ctx, json: flags.json }, flags.dir, async (engine) => {
    const backend = await engine.backend();
    const document = await backend.load();
    if (!document) {
      if (action !== "list") throw new EngineError("ADDRESS_UNKNOWN", `No state at ${backend.describe()}, so ${address ?? "nothing"} is not in it.`);
      ctx.err(`No state at ${backend.describe()}.`);
      if (flags.json) ctx.out("[]");
      return EXIT_OK;
    }
    if (action === "list") {
      const entries = Object.values(document.resources).sort((a, b) => a.address.localeCompare(b.address));
      if (flags.json) ctx.out(JSON.stringify(entries.map((entry) => ({ address: entry.address, id: entry.id, identity: entry.identity })), null, 2));
      else for (const entry of entries) ctx.out(`${entry.address}\t${entry.id}`);
      for (const pending of Object.values(document.pending)) ctx.err(ctx.style.yellow(`${pending.address}: a create was interrupted at ${pending.startedAt}; the next apply resumes it`));
      return EXIT_OK;
    }
    if (!address) throw new EngineError("ARGUMENT_INVALID", `state ${action} needs an ADDRESS (see prefect-gitops state list).`);
    const entry = document.resources[address];
    if (!entry) throw new EngineError("ADDRESS_UNKNOWN", `${address} is not in the state (${backend.describe()}).`, { address });
    if (action === "show") {
      const values = Object.fromEntries(Object.entries(entry.values).map(([name, value]) => [name, isSensitiveHash(value) ? SENSITIVE : value]));
      if (flags.json) ctx.out(JSON.stringify({ ...entry, values }, null, 2));
      else {
        ctx.out(`# ${entry.address}:`);
        ctx.out(`resource "${entry.type}" "${entry.address.slice(entry.type.length + 1)}" {`);
        const width = Math.max(...Object.keys(values).map((name) => name.length));
        for (const [name, value] of Object.entries(values).sort(([a], [b]) => a.localeCompare(b))) ctx.out(`    ${name.padEnd(width)} = ${JSON.stringify(value)}`);
        ctx.out("}");
      }
      return EXIT_OK;
    }
    // rm: forget the object without touching it in Prefect.
    const state = await StateStore.open(backend, document.target ?? "");
    await withLock(ctx, state, "state rm", async () => {
      await state.begin();
      await state.remove(address);
      await state.save();
    });
    ctx.out(`Removed ${address} from ${backend.describe()}. The ${entry.type} (id ${entry.id}) still exists in Prefect and is no longer managed.`);
    return EXIT_OK;
  });
}
