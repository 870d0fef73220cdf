// Names for flow runs created without one. Prefect names them with a random two-word slug, an
// adjective and an animal joined by a hyphen (prefect/utilities/names.py generate_slug(2), used as
// the default of DeploymentFlowRunCreate.name in prefect/server/schemas/actions.py). These word
// lists are the devserver's own.
const ADJECTIVES = [
  "amber", "brave", "calm", "clever", "cosmic", "crimson", "daring", "eager", "fancy", "gentle",
  "golden", "happy", "hidden", "jolly", "keen", "lively", "lucky", "mellow", "misty", "nimble",
  "proud", "quiet", "rapid", "silver", "sleek", "steady", "sunny", "swift", "tidy", "witty",
];
const ANIMALS = [
  "badger", "beaver", "bison", "crane", "dingo", "falcon", "ferret", "gecko", "heron", "ibis",
  "jaguar", "koala", "lemur", "lynx", "marmot", "moose", "narwhal", "ocelot", "otter", "panda",
  "puffin", "quokka", "raven", "salmon", "tapir", "toucan", "walrus", "weasel", "wombat", "yak",
];

const pick = (words: readonly string[], random: () => number): string => words[Math.floor(random() * words.length)] ?? (words[0] as string);

/** `adjective-animal`, e.g. `swift-otter`. */
export function runName(random: () => number = Math.random): string {
  return `${pick(ADJECTIVES, random)}-${pick(ANIMALS, random)}`;
}
