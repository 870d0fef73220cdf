// JSON lines through pino, written wherever the entry point says (stdout in production, a buffer
// in tests). Every string logged passes the secrets mask first: a message quoting an error, a
// URL or a command's output cannot carry a token, a key or the webhook secret out.
import { pino, type Logger } from "pino";
import { maskSecrets } from "../git/mask.js";

function maskDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return maskSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, secrets));
  if (value instanceof Error) return { type: value.name, message: maskSecrets(value.message, secrets), code: (value as { code?: unknown }).code };
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskDeep(child, secrets)]));
  return value;
}

export function createLogger(write: (line: string) => void, secrets: readonly string[], level = "info"): Logger {
  return pino(
    {
      level,
      base: { service: "prefect-gitops" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => maskDeep(arg, secrets)) as Parameters<typeof method>);
        },
      },
    },
    { write: (line: string) => write(line.trimEnd()) },
  );
}
