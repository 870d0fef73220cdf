// JSON lines through pino, written wherever the entry point says (stdout in production, a buffer
// in tests). Every string logged passes the secrets mask first: a message quoting an error, a
// URL or a command's output cannot carry a token, a key or the webhook secret out.
import { pino, type Logger } from "pino";
import { maskSecretsDeep } from "../git/mask.js";

export function createLogger(write: (line: string) => void, secrets: readonly string[], level = "info"): Logger {
  return pino(
    {
      level,
      base: { service: "prefect-gitops" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => maskSecretsDeep(arg, secrets)) as Parameters<typeof method>);
        },
      },
    },
    { write: (line: string) => write(line.trimEnd()) },
  );
}
