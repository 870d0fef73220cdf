// output [NAME]: the configuration's outputs from what the state records. Sensitive outputs are
// never printed, not even with --json.
import { SENSITIVE } from "../plan/model.js";
import { renderOutputs } from "../plan/render-text.js";
import { EngineError } from "../errors.js";
import { EXIT_OK, type CommandContext } from "./context.js";
import { withEngine } from "./run.js";

export async function outputCommand(ctx: CommandContext, name: string | undefined, dirArg: string | undefined, flags: { json?: boolean }): Promise<number> {
  return withEngine({ ...ctx, json: flags.json }, dirArg, async (engine) => {
    const state = await engine.openState();
    const outputs = await engine.outputs(state);
    const chosen = name === undefined ? outputs : outputs.filter((output) => output.name === name);
    if (name !== undefined && !chosen.length) {
      throw new EngineError("ADDRESS_UNKNOWN", `no output named "${name}" (outputs: ${outputs.map((output) => output.name).join(", ") || "none"}).`);
    }
    if (flags.json) {
      const shown = Object.fromEntries(chosen.map((output) => [output.name, { value: output.sensitive || output.error ? null : output.value, sensitive: output.sensitive, ...(output.error ? { error: output.error, code: output.code } : {}) }]));
      ctx.out(JSON.stringify(name === undefined ? shown : shown[name], null, 2));
    } else if (name !== undefined) {
      const [output] = chosen;
      if (output?.error) throw new EngineError(output.code ?? "EXPRESSION_INVALID", `output "${name}" is not known: ${output.error}`);
      ctx.out(output?.sensitive ? SENSITIVE : typeof output?.value === "string" ? output.value : JSON.stringify(output?.value, null, 2));
    } else {
      ctx.out(chosen.length ? renderOutputs(chosen, ctx.style) : "The configuration declares no outputs.");
    }
    return EXIT_OK;
  });
}
