// Prefect's rule for the names of flows, deployments, work pools, work queues and concurrency
// limits: its `^[^/%&><]+$` pattern.

/** The characters Prefect refuses in those names. */
const BANNED_NAME_CHARACTERS = /[/%&><]/g;

/** Why Prefect refuses a `what` name ("flow", "work pool"...) for its characters, with a fixed name to use; undefined when it has none of them. */
export function bannedCharactersProblem(what: string, name: string): string | undefined {
  const banned = [...new Set(name.match(BANNED_NAME_CHARACTERS) ?? [])];
  if (!banned.length) return undefined;
  return `${JSON.stringify(name)} is not a valid ${what} name: Prefect refuses the characters / % & > < (found ${banned.join(" ")}); e.g. ${JSON.stringify(name.replace(BANNED_NAME_CHARACTERS, "-"))}`;
}
