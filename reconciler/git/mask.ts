// Masking the secrets a run knows out of any text it publishes. The plan already shows
// sensitive attributes as "(sensitive value)"; this is the second line of defence for values
// that reach a message some other way (an error quoting a URL with a key, an app's output).

/** What a masked secret becomes. */
export const MASK = "***";

/** Secrets shorter than this are not masked: masking "1" or "true" would garble every text and hide nothing. */
const MIN_SECRET_LENGTH = 6;

export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const known = [...new Set(secrets.filter((secret): secret is string => typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of known) out = out.split(secret).join(MASK);
  return out;
}

/**
 * Mask every string inside a value (a request body, a log line's fields). An Error becomes its
 * name, masked message and code: its stack and cause may quote what was sent.
 */
export function maskSecretsDeep(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof value === "string") return maskSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskSecretsDeep(item, secrets));
  if (value instanceof Error) return { type: value.name, message: maskSecrets(value.message, secrets), code: (value as { code?: unknown }).code };
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskSecretsDeep(child, secrets)]));
  return value;
}
