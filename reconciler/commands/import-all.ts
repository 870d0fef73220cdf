// import --all: being written (reconciler/import/).
import { EXIT_ERROR, type CommandContext } from "./context.js";

export async function importAllCommand(ctx: CommandContext, _dir: string | undefined, _flags: { out?: string }): Promise<number> {
  ctx.err("import --all is not available yet");
  return EXIT_ERROR;
}
