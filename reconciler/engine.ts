// The engine: load a configuration, connect to Prefect, read the live objects in bulk, plan,
// apply, audit drift, import. The CLI and the service drive it; it does no terminal output.
import type { ClientEvent, PrefectClient } from "../provider/client/client.js";
import { ConfigurationError } from "../provider/client/errors.js";
import { resolveSettings, type ClientOptions, type ClientSettings } from "../provider/client/settings.js";
import type { Kind, KindContext, ReadScope } from "../provider/kinds/kind.js";
import { preferCheaperListings } from "../provider/kinds/listing-choice.js";
import { kindFor, kindTypes, KINDS } from "../provider/kinds/registry.js";
import { createKindContext } from "../provider/kinds/runtime.js";
import { applyPlan, type ApplyEvent, type ApplyResult } from "./apply/apply.js";
import type { AppRunner } from "./config/cdktf.js";
import { configurationLayout, emptyConfig, loadConfig } from "./config/load.js";
import { knownAtPlan } from "./config/plan-time.js";
import { evaluateOutputs, resolveConfig, type OutputValue, type ProviderSettings, type ResolvedConfig } from "./config/resolve.js";
import { isSensitiveHash } from "./state/hash.js";
import { DiagnosticsError, error, throwIfErrors, type Diagnostic } from "./diagnostics.js";
import type { Plan, PlanMode } from "./plan/model.js";
import { buildPlan, type LiveInventory, type PlanResult } from "./plan/plan.js";
import { planResolver } from "./plan/resolver.js";
import { readScopes } from "./plan/read-scope.js";
import { createFileBackend } from "./state/file-backend.js";
import type { StateBackend } from "./state/model.js";
import { StateStore } from "./state/store.js";
import { createWorkspaceBackend } from "./state/workspace-backend.js";

export interface EngineOptions {
  /** The configuration directory. */
  dir: string;
  /** State file for the file backend. @default DIR/prefect-gitops.state.json */
  statePath?: string;
  /** @default "file" */
  backend?: "file" | "workspace";
  /** Name of the state inside the workspace backend. @default "default" */
  stateName?: string;
  /** The environment (PREFECT_*, TF_VAR_*), passed in by the CLI. */
  env: Record<string, string | undefined>;
  /** `--var name=value` */
  vars?: Record<string, string>;
  /** Runs CDKTF apps. */
  runner?: AppRunner;
  /** Which stack of a multi-stack CDKTF app. */
  stack?: string;
  /** Connection settings that win over the provider block (tests, the quickstart). */
  connection?: ClientOptions;
  /** Client tuning. */
  client?: { concurrency?: number; timeoutMs?: number; onEvent?: (event: ClientEvent) => void };
  now?: () => Date;
  /** A directory without configuration loads as one that declares nothing (import --all writes the first). */
  allowEmpty?: boolean;
  /** Offline validation: variables without a value are known later instead of missing. */
  offline?: boolean;
}

export interface Loaded {
  config: ResolvedConfig;
  warnings: Diagnostic[];
}

/** Connection options from the provider block: explicit, so they win over the environment. */
export function providerConnection(provider: ProviderSettings): ClientOptions {
  const options: ClientOptions = {};
  if (provider.endpoint) options.apiUrl = provider.endpoint;
  if (provider.apiKey) options.apiKey = provider.apiKey;
  if (provider.accountId) options.accountId = provider.accountId;
  if (provider.workspaceId) options.workspaceId = provider.workspaceId;
  if (provider.basicAuthKey) options.authString = provider.basicAuthKey;
  if (provider.customHeaders) options.customHeaders = provider.customHeaders;
  if (provider.csrfEnabled !== undefined) options.csrfEnabled = provider.csrfEnabled;
  if (provider.profile) options.profile = provider.profile;
  if (provider.profileFile) options.profilesPath = provider.profileFile;
  return options;
}

export class Engine {
  private client?: PrefectClient;
  private loaded?: Loaded;
  private resolved?: ClientSettings;

  constructor(readonly options: EngineOptions) {}

  get now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Load and resolve the configuration (offline). Throws DiagnosticsError on errors. */
  async load(): Promise<Loaded> {
    if (this.loaded) return this.loaded;
    const { model, diagnostics } =
      this.options.allowEmpty && configurationLayout(this.options.dir) === "none"
        ? { model: emptyConfig(this.options.dir), diagnostics: [] }
        : await loadConfig(this.options.dir, { runner: this.options.runner, stack: this.options.stack });
    const resolved = resolveConfig(model, { vars: this.options.vars, env: this.options.env, missingAsUnknown: this.options.offline });
    const all = [...diagnostics, ...resolved.diagnostics];
    throwIfErrors(all);
    this.loaded = { config: resolved.config!, warnings: all.filter((d) => d.severity === "warning") };
    return this.loaded;
  }

  /** The connection settings: provider block, then environment, then profile (read once: a plan asks several times). */
  async settings(): Promise<ClientSettings> {
    if (this.resolved) return this.resolved;
    const { config } = await this.load();
    const fromProvider = providerConnection(config.provider);
    const explicit = { ...fromProvider, ...this.options.connection };
    try {
      this.resolved = resolveSettings(explicit, { env: this.options.env });
      return this.resolved;
    } catch (caught) {
      if (caught instanceof ConfigurationError) {
        throw new DiagnosticsError([error("CONNECTION_INVALID", caught.message, { file: config.model.provider?.location.file, line: config.model.provider?.location.line, detail: "Configure the connection in the provider \"prefect\" block, with PREFECT_API_URL / PREFECT_API_KEY, or with a Prefect profile." })]);
      }
      throw caught;
    }
  }

  async connect(): Promise<PrefectClient> {
    if (!this.client) {
      const settings = await this.settings();
      // Loaded on first use: commands that never connect (validate, init) start without the HTTP stack.
      const { PrefectClient } = await import("../provider/client/client.js");
      this.client ??= new PrefectClient(settings, this.options.client);
    }
    return this.client;
  }

  async context(): Promise<KindContext> {
    return createKindContext(await this.connect());
  }

  async backend(): Promise<StateBackend> {
    if (this.options.backend === "workspace") return createWorkspaceBackend(await this.connect(), { name: this.options.stateName });
    return createFileBackend(this.options.statePath ?? `${this.options.dir.replace(/\/+$/, "")}/prefect-gitops.state.json`);
  }

  async openState(): Promise<StateStore> {
    const settings = await this.settings();
    return StateStore.open(await this.backend(), settings.baseUrl);
  }

  /** The kinds a run must read: declared, or owned by the state. */
  kindsFor(config: ResolvedConfig | undefined, state: StateStore): Kind[] {
    const types = new Set<string>([...(config?.instances.map((instance) => instance.type) ?? []), ...Object.values(state.document.resources).map((entry) => entry.type)]);
    return KINDS.filter((kind) => types.has(kind.type));
  }

  /**
   * The live objects of the given kinds, read in bulk and in parallel: with `scopes`, only those of
   * each kind's scope (see readScopes; a kind without a scope or without scoped reads is read
   * whole), otherwise every object. A kind that cannot be read is reported, not fatal.
   */
  async readLive(kinds: Kind[], ctx: KindContext, scopes?: ReadonlyMap<string, ReadScope | undefined>): Promise<LiveInventory> {
    const defined = new Map([...(scopes ?? new Map<string, ReadScope | undefined>())].filter((pair): pair is [string, ReadScope] => pair[1] !== undefined));
    const settings = await this.settings();
    const inventory: LiveInventory = { kinds: new Map() };
    await Promise.all(
      kinds.map(async (kind) => {
        if (kind.cloudOnly && !settings.cloud) {
          inventory.kinds.set(kind.type, { byId: new Map(), error: `${kind.type} exists only in Prefect Cloud` });
          return;
        }
        try {
          const scope = defined.get(kind.type);
          const objects = scope && kind.readScoped ? await kind.readScoped(ctx, scope, defined) : await kind.list(ctx);
          inventory.kinds.set(kind.type, { byId: new Map(objects.map((object) => [kind.idOf(object), object])) });
        } catch (caught) {
          inventory.kinds.set(kind.type, { byId: new Map(), error: (caught as Error).message });
        }
      }),
    );
    return inventory;
  }

  /**
   * What a plan reads: the objects the state owns, by id, and the declared ones it does not own,
   * by name (`whole`: every object of the declared and owned kinds). An owned object that its id
   * no longer finds is looked for by its declared name (re-created outside prefect-gitops).
   */
  async readScoped(config: ResolvedConfig | undefined, state: StateStore, ctx: KindContext, whole = false): Promise<LiveInventory> {
    const kinds = this.kindsFor(config, state);
    if (whole) return this.readLive(kinds, ctx);
    // Kinds `/count` shows cheaper to list whole are read whole.
    const scopes = await preferCheaperListings(ctx, kinds, readScopes(config, state.document, kinds.map((kind) => kind.type)));
    const live = await this.readLive(kinds, ctx, scopes);
    const again = new Map<string, ReadScope | undefined>();
    for (const instance of config?.instances ?? []) {
      const entry = state.document.resources[instance.address];
      const inventory = live.kinds.get(instance.type);
      if (!entry || entry.type !== instance.type || !scopes.get(instance.type) || !inventory || inventory.error || inventory.byId.has(entry.id) || kindFor(instance.type)?.readsOwnedNames) continue;
      if (!("name" in instance.block.attributes)) continue;
      const name = knownAtPlan(config, instance, "name");
      if (name === undefined) again.set(instance.type, undefined);
      else if (!again.has(instance.type) || again.get(instance.type)) {
        const scope = again.get(instance.type) ?? { ids: [], names: [] };
        scope.names.push(name);
        again.set(instance.type, scope);
      }
    }
    if (!again.size) return live;
    // The scoped reads shared by two kinds are memoized: read again with the new names.
    ctx.forget("scoped:");
    const found = await this.readLive(kinds.filter((kind) => again.has(kind.type)), ctx, again);
    for (const [type, inventory] of found.kinds) {
      const merged = live.kinds.get(type);
      if (merged && !inventory.error) for (const [id, object] of inventory.byId) merged.byId.set(id, object);
    }
    return live;
  }

  /** Plan against the live workspace (or against live objects already read, which must cover the declared and owned kinds). */
  async plan(state: StateStore, options: { mode?: PlanMode; adopt?: boolean; live?: LiveInventory } = {}): Promise<PlanResult & { ctx: KindContext }> {
    const { config } = await this.load();
    const settings = await this.settings();
    const ctx = await this.context();
    const live = options.live ?? (await this.readScoped(config, state, ctx));
    const result = buildPlan({
      config,
      kindFor,
      knownTypes: kindTypes(),
      state: state.document,
      stateExists: state.existed,
      live,
      mode: options.mode ?? "normal",
      adopt: options.adopt ?? false,
      cloud: settings.cloud !== undefined,
      cloudIds: settings.cloud,
      target: settings.baseUrl,
      now: this.now,
    });
    return { ...result, ctx };
  }

  /**
   * Run a plan: `result`'s own, or `options.plan` (a saved plan that `result`, a planning made
   * now, found current). `result` resolves what a plan does not hold: secrets, and values that
   * only earlier steps' results give.
   */
  async apply(result: PlanResult & { ctx: KindContext }, state: StateStore, options: { plan?: Plan; parallelism?: number; onEvent?: (event: ApplyEvent) => void } = {}): Promise<ApplyResult> {
    const { config } = await this.load();
    const target = planResolver(config, result, result.ctx, kindFor);
    return applyPlan(options.plan ?? result.plan, target, state, { parallelism: options.parallelism, onEvent: options.onEvent, now: () => this.now });
  }

  /** The configuration's outputs, from what the state records (sensitive values never in clear). */
  async outputs(state: StateStore): Promise<OutputValue[]> {
    const { config } = await this.load();
    return evaluateOutputs(
      config,
      {
        declared: () => ({ found: false }),
        known: (address) => state.document.resources[address]?.values,
      },
      isSensitiveHash,
    );
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
