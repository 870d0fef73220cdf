// From live objects to Terraform JSON configuration (`import --all`): one resource per object,
// with the attributes a declaration must state for the next plan to show no changes, references
// instead of ids wherever the target is declared too (so the configuration moves to another
// workspace), and secrets (block secret fields, pull step access tokens) as sensitive variables
// whose values are kept apart. What is particular to a kind (its references, secrets, resource
// names) the kind says (Kind.writeDeclaration, Kind.importName, attributes' references facts);
// this module names the resources, resolves references to addresses and checks each declaration.
// Pure: the live objects are read beforehand.
import { diffSpec, isObject } from "../../provider/kinds/compare.js";
import { LITERAL_WRITER, writeReferences, type DeclarationWriter } from "../../provider/kinds/declaration.js";
import { attributeFactsOf, parseSpec, type Kind, type Spec } from "../../provider/kinds/kind.js";
import { KIND_ORDER } from "../../provider/kinds/registry.js";
import { instanceAddress } from "../config/resolve.js";
import { isStateBackendObject } from "../state/workspace-backend.js";
import { encodeAttribute, Expression, literalOf, worthWriting } from "./encode.js";
import { identifierFrom, NameAllocator } from "./names.js";

export interface GenerateInput {
  /** Every kind, in apply order. */
  kinds: readonly Kind[];
  /** The live objects of each kind that was read, by Terraform type. */
  live: Map<string, unknown[]>;
  /**
   * Objects not to import, by `type:id`: those the state owns and those the configuration
   * already declares. The value is the address to refer to them by, when the configuration
   * declares that address; undefined when they can only be named by id.
   */
  taken: Map<string, string | undefined>;
  /** Resource names the configuration or the state already uses, by Terraform type. */
  reservedNames: Map<string, Set<string>>;
  /** Variable names the configuration already declares. */
  reservedVariables: Set<string>;
}

export interface ImportedResource {
  address: string;
  type: string;
  name: string;
  kind: Kind;
  id: string;
  live: unknown;
  /** The live object in the declared shape (what the state records as applied). */
  spec: Spec;
  /** The resource block's attributes, in Terraform JSON. */
  attributes: Record<string, unknown>;
  /** Addresses this resource refers to. */
  dependencies: string[];
  /** Attributes written with a sensitive variable in them (the plan masks them; the state hashes them). */
  sensitive: Set<string>;
  /** Attributes whose declaration would still differ from the live object (a mapping the kind cannot express). */
  differences: string[];
}

export interface SkippedObject {
  type: string;
  id: string;
  label: string;
  reason: string;
}

export interface GeneratedConfiguration {
  resources: ImportedResource[];
  /** Sensitive input variables, by name, with their descriptions. */
  variables: Map<string, string>;
  /** The values of those variables (secrets in clear: written apart, never into the configuration). */
  secrets: Record<string, unknown>;
  skipped: SkippedObject[];
}

/**
 * Attributes never written: the workspace is the provider's wherever the configuration is
 * applied, and an id (optional on schedules, to name one) would tie the declaration to this one.
 */
const NEVER_WRITTEN = new Set(["id", "account_id", "workspace_id"]);

const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** Whether a value holds a variable (a secret) anywhere inside. */
function containsVariable(value: unknown): boolean {
  if (value instanceof Expression) return value.text.startsWith("var.");
  if (Array.isArray(value)) return value.some(containsVariable);
  if (isObject(value)) return Object.values(value).some(containsVariable);
  return false;
}

/** The attributes a declaration of this live object states, before encoding. */
function declarationOf(kind: Kind, spec: Spec, live: unknown, writer: DeclarationWriter): Record<string, unknown> {
  const declared: Record<string, unknown> = {};
  const kindFacts = attributeFactsOf(kind);
  for (const [name, facts] of Object.entries(kindFacts)) {
    if (facts.computed && !facts.optional) continue;
    if (facts.writeOnly || facts.stateOnly || facts.defaultOnCreate || NEVER_WRITTEN.has(name)) continue;
    if (spec[name] !== undefined && spec[name] !== null) declared[name] = spec[name];
  }
  kind.writeDeclaration?.(declared, spec, live, writer);
  writeReferences(kind, declared, writer);
  for (const [name, value] of Object.entries(declared)) {
    const facts = kindFacts[name];
    if (!facts || !worthWriting(facts, value)) delete declared[name];
  }
  return declared;
}

/** A short reason a declaration is refused, without values of sensitive attributes. */
function refusal(kind: Kind, issues: { path: (string | number)[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const top = String(issue.path[0] ?? "");
      const sensitive = attributeFactsOf(kind)[top]?.sensitive ?? false;
      return `${issue.path.join(".") || "declaration"} ${sensitive ? "is not valid (the value is sensitive and not shown)" : issue.message}`;
    })
    .join("; ");
}

/**
 * The objects that prefect-gitops states kept in the workspace (workspace backend) own, by
 * `type:id`, each with the state and address owning it: another stack's objects are its own.
 * The run's own state owns nothing that is still to import, so it never matches here.
 */
function ownersInWorkspaceStates(blocks: unknown[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const block of blocks) {
    const { name, data, block_type } = block as { name?: unknown; data?: { state?: { resources?: unknown } }; block_type?: { slug?: unknown } | null };
    if (!isStateBackendObject("prefect_block", { type_slug: block_type?.slug }) || !isObject(data?.state?.resources)) continue;
    for (const entry of Object.values(data.state.resources)) {
      const { type, id, address } = (entry ?? {}) as { type?: unknown; id?: unknown; address?: unknown };
      if (typeof type === "string" && typeof id === "string") owners.set(`${type}:${id}`, `${str(address)} in the workspace state ${str(name)}`);
    }
  }
  return owners;
}

/**
 * The Prefect name each live object's resource is named after (Kind.importName; by default its
 * `name`), by type and id: a deployment's includes its flow's, a schedule's its deployment's.
 */
function importNames(input: GenerateInput): (type: string, id: string) => string | undefined {
  const kinds = new Map(input.kinds.map((kind) => [kind.type, kind]));
  const specs = new Map<string, Spec>();
  for (const kind of input.kinds) for (const live of input.live.get(kind.type) ?? []) specs.set(`${kind.type}:${kind.idOf(live).toLowerCase()}`, kind.toSpec(live));
  const names = new Map<string, string | undefined>();
  const nameOf = (type: string, id: string): string | undefined => {
    const key = `${type}:${id.toLowerCase()}`;
    if (!names.has(key)) {
      const kind = kinds.get(type);
      const spec = specs.get(key);
      names.set(key, kind && spec ? (kind.importName ? kind.importName(spec, nameOf) : str(spec.name)) : undefined);
    }
    return names.get(key);
  };
  return nameOf;
}

interface Candidate {
  kind: Kind;
  live: unknown;
  id: string;
  spec: Spec;
  sortKey: string;
}

/** Whether `to` reaches `from` in `graph` (adding from -> to would close a cycle). */
function reaches(graph: Map<string, Set<string>>, to: string, from: string): boolean {
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length) {
    const at = stack.pop()!;
    if (at === from) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const next of graph.get(at) ?? []) stack.push(next);
  }
  return false;
}

/**
 * The configuration for every live object not taken yet. Objects whose declaration the kind
 * would refuse (a name Prefect reserves, a setting the official schema cannot express) are
 * skipped with the reason, and references to them stay ids.
 */
export function generateConfiguration(input: GenerateInput): GeneratedConfiguration {
  const nameOf = importNames(input);
  const { candidates, skipped } = chooseObjects(input, nameOf);
  const addresses = allocateAddresses(input, candidates, nameOf);
  const written: Written = { graph: new Map(), variableNames: new NameAllocator(input.reservedVariables), variables: new Map(), secrets: {} };
  const resources = candidates.map((candidate) => declareResource(candidate, addresses.names.get(candidate)!, addresses, written));
  return { resources, variables: written.variables, secrets: written.secrets, skipped };
}

/** Which objects to import, each checked the way a declaration of it will be, in the order they are named and written. */
function chooseObjects(input: GenerateInput, nameOf: (type: string, id: string) => string | undefined): { candidates: Candidate[]; skipped: SkippedObject[] } {
  const skipped: SkippedObject[] = [];
  const candidates: Candidate[] = [];
  const otherOwners = ownersInWorkspaceStates(input.live.get("prefect_block") ?? []);
  for (const kind of input.kinds) {
    for (const live of input.live.get(kind.type) ?? []) {
      const id = kind.idOf(live);
      if (input.taken.has(`${kind.type}:${id}`)) continue;
      const spec = kind.toSpec(live);
      const reason = skipReason(kind, live, spec, otherOwners.get(`${kind.type}:${id}`));
      if (reason) {
        skipped.push({ type: kind.type, id, label: kind.label(spec), reason });
        continue;
      }
      // Stable names: by the name they are made from, an exact one first (`etl` before `ETL!`), then oldest first.
      const source = nameOf(kind.type, id) ?? "";
      const identifier = identifierFrom(source, kind.noun);
      const sortKey = [identifier, source === identifier ? "0" : "1", source, str(spec.created), id].join("\u0000");
      candidates.push({ kind, live, id, spec, sortKey });
    }
  }
  const rank = (type: string) => KIND_ORDER.indexOf(type);
  candidates.sort((a, b) => rank(a.kind.type) - rank(b.kind.type) || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return { candidates, skipped };
}

/** Why a live object is not imported, if it is not. */
function skipReason(kind: Kind, live: unknown, spec: Spec, owner: string | undefined): string | undefined {
  if (kind.systemManaged?.(live)) return "Prefect manages it with its deployment (set the deployment's concurrency_limit instead)";
  if (isStateBackendObject(kind.type, spec)) return "prefect-gitops keeps a workspace state or its lock in it";
  if (owner) return `another prefect-gitops state owns it (${owner})`;
  const parsed = parseSpec(kind, literalOf(declarationOf(kind, spec, live, LITERAL_WRITER)) as Record<string, unknown>);
  if (!parsed.ok) return `it cannot be declared: ${refusal(kind, parsed.issues)}`;
  return undefined;
}

/** Each object's resource name and address, by id and by identity. */
interface Addresses {
  names: Map<Candidate, string>;
  /** `type:id` -> address, objects taken included. */
  addressOf: Map<string, string>;
  /** `type:identity` -> address. */
  byIdentity: Map<string, string>;
}

/** Names first, so that references may point at objects written later. */
function allocateAddresses(input: GenerateInput, candidates: Candidate[], nameOf: (type: string, id: string) => string | undefined): Addresses {
  const allocators = new Map<string, NameAllocator>();
  const addressOf = new Map<string, string>();
  const names = new Map<Candidate, string>();
  for (const candidate of candidates) {
    const type = candidate.kind.type;
    let allocator = allocators.get(type);
    if (!allocator) allocators.set(type, (allocator = new NameAllocator(input.reservedNames.get(type) ?? [])));
    const name = allocator.allocate(identifierFrom(nameOf(type, candidate.id) ?? "", candidate.kind.noun));
    names.set(candidate, name);
    addressOf.set(`${type}:${candidate.id}`, instanceAddress(type, name));
  }
  for (const [key, address] of input.taken) if (address) addressOf.set(key, address);
  const byIdentity = new Map<string, string>();
  for (const kind of input.kinds) {
    for (const live of input.live.get(kind.type) ?? []) {
      const address = addressOf.get(`${kind.type}:${kind.idOf(live)}`);
      const identity = kind.identityOf(live);
      if (address && identity !== undefined) byIdentity.set(`${kind.type}:${identity}`, address);
    }
  }
  return { names, addressOf, byIdentity };
}

/** What the resources written so far share: their references, the secret variables and their values. */
interface Written {
  graph: Map<string, Set<string>>;
  variableNames: NameAllocator;
  variables: Map<string, string>;
  secrets: Record<string, unknown>;
}

function declareResource(candidate: Candidate, name: string, addresses: Addresses, written: Written): ImportedResource {
  const { kind, live, id, spec } = candidate;
  const address = instanceAddress(kind.type, name);
  const dependencies = new Set<string>();
  written.graph.set(address, dependencies);
  const declared = declarationOf(kind, spec, live, declarationWriter(candidate, name, address, dependencies, addresses, written));
  const attributes: Record<string, unknown> = {};
  const sensitive = new Set<string>();
  for (const [attribute, value] of Object.entries(declared)) {
    attributes[attribute] = encodeAttribute(attributeFactsOf(kind)[attribute]!, value);
    if (containsVariable(value)) sensitive.add(attribute);
  }
  const parsed = parseSpec(kind, literalOf(declared) as Record<string, unknown>);
  const differences = parsed.ok ? [...new Set(diffSpec(kind, parsed.spec, spec).map((change) => String(change.path[0])))] : ["(declaration)"];
  return { address, type: kind.type, name, kind, id, live, spec, attributes, dependencies: [...dependencies], sensitive, differences };
}

/** References by address where the target is declared too, secrets as sensitive variables. */
function declarationWriter({ kind, spec }: Candidate, name: string, address: string, dependencies: Set<string>, { addressOf, byIdentity }: Addresses, written: Written): DeclarationWriter {
  const reference = (target: string | undefined, attribute: string, value: unknown): unknown => {
    // A reference that would close a cycle (an automation pausing itself) stays an id.
    if (!target || target === address || reaches(written.graph, target, address)) return value;
    dependencies.add(target);
    return new Expression(`${target}.${attribute}`, value);
  };
  return {
    ref: (type, targetId, attribute, value) => reference(addressOf.get(`${type}:${targetId.toLowerCase()}`) ?? addressOf.get(`${type}:${targetId}`), attribute, value),
    refByIdentity: (type, identity, attribute, value) => reference(byIdentity.get(`${type}:${identity}`), attribute, value),
    secret: (path, value) => {
      const variable = written.variableNames.allocate(identifierFrom(`${name}_${path.join("_")}`, "secret"));
      written.variables.set(variable, `Secret ${path.join(".")} of ${kind.label(spec)}, imported by prefect-gitops import --all.`);
      written.secrets[variable] = value;
      return new Expression(`var.${variable}`, value);
    },
  };
}

/**
 * The Terraform JSON document: sensitive variables, then resources by type. With
 * `requiredProviders`, a `terraform` block naming the official provider, so that Terraform
 * itself can use the file too.
 */
export function terraformDocument(generated: GeneratedConfiguration, options: { comment: string; requiredProviders: boolean }): Record<string, unknown> {
  const document: Record<string, unknown> = { "//": options.comment };
  if (options.requiredProviders) document.terraform = { required_providers: { prefect: { source: "prefecthq/prefect" } } };
  if (generated.variables.size) {
    document.variable = Object.fromEntries([...generated.variables].map(([name, description]) => [name, { description, sensitive: true }]));
  }
  const resource: Record<string, Record<string, unknown>> = {};
  for (const item of generated.resources) (resource[item.type] ??= {})[item.name] = item.attributes;
  document.resource = resource;
  return document;
}
