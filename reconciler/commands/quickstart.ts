// quickstart: being written.
import { EXIT_ERROR, type CommandContext } from "./context.js";

export async function quickstartCommand(ctx: CommandContext): Promise<number> {
  ctx.err("quickstart is not available yet");
  return EXIT_ERROR;
}
