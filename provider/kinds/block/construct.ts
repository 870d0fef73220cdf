// The Block construct: a block document of any type (Block.of), with typed helpers for the
// blocks automations use (secret, slack-webhook, custom-webhook, webhook). Secret fields take a
// SecretValue: the document is then written as jsonencode({... = var.NAME ...}), so the secret
// is given when the plan runs and never appears in cdk.tf.json.
import { Construct, Token } from "../../cdk.js";
import { propProblems } from "../../constructs/prop-problems.js";
import type { IBlock } from "../../constructs/refs.js";
import { resolveSecrets, type SecretValue } from "../../constructs/secret-value.js";
import { jsonAttribute, standIn, validateAtSynth } from "../../constructs/support.js";
import { Block as BlockL1 } from "../../generated/prefect/block/index.js";
import { blockSchema } from "./schema.js";

/**
 * A block's data: its block schema's fields (`prefect block type inspect <slug>`) with their
 * values. A value may be a {@link SecretValue} (anywhere in the document), a reference to
 * another construct, or `Block.reference(otherBlock)`.
 */
export type BlockData = { readonly [field: string]: unknown };

/** Properties of a {@link Block}. */
export interface BlockProps {
  /** The block's name, unique within its type: lowercase letters, digits and dashes. Changing it replaces the block. */
  readonly name: string;

  /** The block type's slug (`prefect block type ls`), e.g. "aws-credentials". Changing it replaces the block. */
  readonly typeSlug: string;

  /**
   * The block's data. Secret fields should be {@link SecretValue}s.
   *
   * @default - none declared: a new block is created empty, and its data is never compared
   */
  readonly data?: BlockData;
}

/** Properties of {@link Block.of}. */
export interface BlockOfProps {
  /** The block's name, unique within its type: lowercase letters, digits and dashes. */
  readonly name: string;

  /**
   * The block's data. Secret fields should be {@link SecretValue}s.
   *
   * @default - none declared: a new block is created empty, and its data is never compared
   */
  readonly data?: BlockData;
}

/** Properties of {@link Block.secret}. */
export interface SecretBlockProps {
  /** The block's name: lowercase letters, digits and dashes (flows load it with `Secret.load(name)`). */
  readonly name: string;

  /** The secret. */
  readonly value: SecretValue;
}

/** The kinds of Slack notification (they set the message's colour). */
export type NotifyType = "info" | "success" | "warning" | "failure";

/** Properties of {@link Block.slackWebhook}. */
export interface SlackWebhookBlockProps {
  /** The block's name: lowercase letters, digits and dashes. */
  readonly name: string;

  /** The Slack incoming webhook URL (a secret: whoever has it can post to the channel). */
  readonly url: SecretValue;

  /**
   * The kind of notification.
   *
   * @default "info"
   */
  readonly notifyType?: NotifyType;

  /**
   * Whether notifications may go to private (internal network) URLs.
   *
   * @default true
   */
  readonly allowPrivateUrls?: boolean;
}

/** HTTP methods of webhook blocks. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const HTTP_METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const NOTIFY_TYPES: readonly NotifyType[] = ["info", "success", "warning", "failure"];

/** Properties of {@link Block.customWebhook}. */
export interface CustomWebhookBlockProps {
  /** The block's name: lowercase letters, digits and dashes. */
  readonly name: string;

  /**
   * The webhook's own name (the block field `name`, available to templates as `{{name}}`).
   *
   * @default - the block's name
   */
  readonly webhookName?: string;

  /** The URL to call. A SecretValue when the URL itself is a credential. */
  readonly url: string | SecretValue;

  /**
   * The request method.
   *
   * @default "POST"
   */
  readonly method?: HttpMethod;

  /**
   * Query parameters. Strings may use `{{subject}}`, `{{body}}`, `{{name}}` and `{{<secret name>}}`.
   *
   * @default - none
   */
  readonly params?: { readonly [name: string]: string };

  /**
   * A JSON payload; its strings may use `{{subject}}`, `{{body}}`, `{{name}}` and `{{<secret name>}}`.
   * Not together with `formData`.
   *
   * @default - none
   */
  readonly jsonData?: { readonly [key: string]: unknown };

  /**
   * A form payload. Not together with `jsonData`.
   *
   * @default - none
   */
  readonly formData?: { readonly [name: string]: string };

  /**
   * Request headers (put credentials in `secrets` and refer to them as `{{name}}`).
   *
   * @default - none
   */
  readonly headers?: { readonly [name: string]: string };

  /**
   * Request cookies.
   *
   * @default - none
   */
  readonly cookies?: { readonly [name: string]: string };

  /**
   * The request timeout, in seconds.
   *
   * @default 10
   */
  readonly timeout?: number;

  /**
   * Secret values that the other fields refer to as `{{name}}` (e.g. a header
   * `Authorization: "Bearer {{token}}"` with `secrets: { token: SecretValue.fromEnvironment("PAGER_TOKEN") }`).
   *
   * @default - none
   */
  readonly secrets?: { readonly [name: string]: SecretValue };
}

/** Properties of {@link Block.webhook}. */
export interface WebhookBlockProps {
  /** The block's name: lowercase letters, digits and dashes. */
  readonly name: string;

  /** The URL to call (a secret: Prefect treats it as one). */
  readonly url: SecretValue;

  /**
   * The request method.
   *
   * @default "POST"
   */
  readonly method?: HttpMethod;

  /**
   * Request headers; a credential header should be a SecretValue.
   *
   * @default - none
   */
  readonly headers?: { readonly [name: string]: string | SecretValue };

  /**
   * Whether requests may go to private (internal network) URLs.
   *
   * @default true
   */
  readonly allowPrivateUrls?: boolean;

  /**
   * Whether to verify the server's TLS certificate.
   *
   * @default true
   */
  readonly verify?: boolean;
}

/** What a block managed elsewhere is known by. */
export interface BlockAttributes {
  /** The block document's id (UUID). */
  readonly blockDocumentId: string;
  /** The block's name. */
  readonly blockName: string;
  /** The block type's slug. */
  readonly typeSlug: string;
}

/** A block document id standing in for one known only once the other block exists. */
const ID_STAND_IN = standIn(blockSchema, "id");

/**
 * The document as the kind's rules can judge it: a reference to a block of the stack
 * (`Block.reference(...)`) holds a token where Prefect wants a UUID, so a UUID stands in for it.
 */
function standIns(value: unknown, key?: string): unknown {
  if (key === "block_document_id" && typeof value === "string" && Token.isUnresolved(value)) return ID_STAND_IN;
  if (Array.isArray(value)) return value.map((item) => standIns(item));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, standIns(item, name)]));
  return value;
}

function oneOf(prop: string, value: string | undefined, allowed: readonly string[]): string[] {
  if (value === undefined || Token.isUnresolved(value) || allowed.includes(value)) return [];
  return [`${prop}: "${value}" is not one of ${allowed.map((item) => `"${item}"`).join(", ")}`];
}

/**
 * A Prefect block document: typed configuration (credentials, notification channels, storage)
 * that flows and automations load by name or id.
 *
 * @example
 * const slack = Block.slackWebhook(stack, "alerts", { name: "alerts", url: SecretValue.fromEnvironment("SLACK_WEBHOOK_URL") });
 * const aws = Block.of(stack, "aws", "aws-credentials", {
 *   name: "prod-aws",
 *   data: { aws_access_key_id: "AKIA...", aws_secret_access_key: SecretValue.fromEnvironment("AWS_SECRET_ACCESS_KEY"), region_name: "eu-west-1" },
 * });
 */
export class Block extends Construct implements IBlock {
  /**
   * A `secret` block: one secret value flows read with `Secret.load(name).get()`.
   *
   * @example
   * Block.secret(stack, "db-password", { name: "db-password", value: SecretValue.fromEnvironment("DB_PASSWORD") });
   */
  public static secret(scope: Construct, id: string, props: SecretBlockProps): Block {
    return new Block(scope, id, { name: props.name, typeSlug: "secret", data: { value: props.value } });
  }

  /**
   * A `slack-webhook` notification block, for `Action.sendNotification`.
   *
   * @example
   * Block.slackWebhook(stack, "alerts", { name: "alerts", url: SecretValue.fromEnvironment("SLACK_WEBHOOK_URL"), notifyType: "failure" });
   */
  public static slackWebhook(scope: Construct, id: string, props: SlackWebhookBlockProps): Block {
    const block = new Block(scope, id, {
      name: props.name,
      typeSlug: "slack-webhook",
      data: { url: props.url, notify_type: props.notifyType, allow_private_urls: props.allowPrivateUrls },
    });
    block.extraProblems.push(...oneOf("notifyType", props.notifyType, NOTIFY_TYPES));
    return block;
  }

  /**
   * A `custom-webhook` notification block (any HTTP endpoint), for `Action.sendNotification`.
   *
   * @example
   * Block.customWebhook(stack, "pager", {
   *   name: "pager",
   *   url: "https://events.example.com/v2/enqueue",
   *   jsonData: { summary: "{{subject}}", details: "{{body}}", routing_key: "{{key}}" },
   *   secrets: { key: SecretValue.fromEnvironment("PAGER_ROUTING_KEY") },
   * });
   */
  public static customWebhook(scope: Construct, id: string, props: CustomWebhookBlockProps): Block {
    const block = new Block(scope, id, {
      name: props.name,
      typeSlug: "custom-webhook",
      data: {
        name: props.webhookName ?? props.name,
        url: props.url,
        method: props.method,
        params: props.params,
        json_data: props.jsonData,
        form_data: props.formData,
        headers: props.headers,
        cookies: props.cookies,
        timeout: props.timeout,
        secrets: props.secrets,
      },
    });
    block.extraProblems.push(...oneOf("method", props.method, HTTP_METHODS));
    if (props.jsonData !== undefined && props.formData !== undefined) block.extraProblems.push("formData: conflicts with jsonData; a request carries one payload: keep one of them");
    if (props.timeout !== undefined && !Token.isUnresolved(props.timeout) && !(props.timeout > 0)) block.extraProblems.push(`timeout: is ${props.timeout}; give a number of seconds above 0`);
    return block;
  }

  /**
   * A `webhook` block, the one `Action.callWebhook` calls.
   *
   * @example
   * Block.webhook(stack, "deploy-hook", { name: "deploy-hook", url: SecretValue.fromEnvironment("DEPLOY_HOOK_URL"), method: "PUT" });
   */
  public static webhook(scope: Construct, id: string, props: WebhookBlockProps): Block {
    const block = new Block(scope, id, {
      name: props.name,
      typeSlug: "webhook",
      data: { url: props.url, method: props.method, headers: props.headers, allow_private_urls: props.allowPrivateUrls, verify: props.verify },
    });
    block.extraProblems.push(...oneOf("method", props.method, HTTP_METHODS));
    return block;
  }

  /**
   * A block of any type, its data as the block schema names its fields.
   *
   * @example
   * Block.of(stack, "results", "local-file-system", { name: "results", data: { basepath: "/srv/results" } });
   */
  public static of(scope: Construct, id: string, typeSlug: string, props: BlockOfProps): Block {
    return new Block(scope, id, { name: props.name, typeSlug, data: props.data });
  }

  /**
   * A block managed elsewhere, by its document id. There are no data sources in the engine: a
   * block not declared in this stack is referred to by id (the UI shows it; `prefect block ls`
   * lists them). Its name and type are unknown: reading them throws; use
   * {@link Block.fromBlockAttributes} to give them.
   *
   * @example
   * const oncall = Block.fromBlockId(this, "Oncall", "0c6b1f9e-3c1a-4a8e-9f7d-2b5e8c4d1a90");
   * Action.sendNotification(oncall, { body: "{{ flow_run.name }} failed" });
   */
  public static fromBlockId(scope: Construct, id: string, blockDocumentId: string): IBlock {
    class Import extends Construct implements IBlock {
      public readonly blockDocumentId = blockDocumentId;
      public get blockName(): string {
        throw new Error(`${this.node.path}: the block was referenced by id only (Block.fromBlockId), so its name is not known; use Block.fromBlockAttributes(scope, id, { blockDocumentId, blockName, typeSlug })`);
      }
      public get typeSlug(): string {
        throw new Error(`${this.node.path}: the block was referenced by id only (Block.fromBlockId), so its type is not known; use Block.fromBlockAttributes(scope, id, { blockDocumentId, blockName, typeSlug })`);
      }
    }
    return new Import(scope, id);
  }

  /**
   * A block managed elsewhere, by id, name and type.
   *
   * @example
   * const oncall = Block.fromBlockAttributes(this, "Oncall", { blockDocumentId: oncallId.stringValue, blockName: "oncall", typeSlug: "slack-webhook" });
   */
  public static fromBlockAttributes(scope: Construct, id: string, attributes: BlockAttributes): IBlock {
    class Import extends Construct implements IBlock {
      public readonly blockDocumentId = attributes.blockDocumentId;
      public readonly blockName = attributes.blockName;
      public readonly typeSlug = attributes.typeSlug;
    }
    return new Import(scope, id);
  }

  /**
   * A data value referring to another block document (`{"$ref": {"block_document_id": ...}}`),
   * which Prefect resolves when the block is loaded: credentials shared by storage blocks, say.
   *
   * @example
   * Block.of(stack, "bucket", "s3-bucket", { name: "raw", data: { bucket_name: "raw", credentials: Block.reference(aws) } });
   */
  public static reference(block: IBlock): { readonly $ref: { readonly block_document_id: string } } {
    return { $ref: { block_document_id: block.blockDocumentId } };
  }

  /** The block document's id: a reference (`${prefect_block.<id>.id}`), known once it exists. */
  public readonly blockDocumentId: string;

  /** The block's name: a reference to the declared name. */
  public readonly blockName: string;

  /** The block type's slug. */
  public readonly typeSlug: string;

  /** Problems the typed helpers find in their own props. */
  private readonly extraProblems: string[] = [];

  constructor(scope: Construct, id: string, props: BlockProps) {
    super(scope, id);
    const secrets = resolveSecrets(props.data, this);
    const data = secrets.value as BlockData | undefined;
    // Named "Default" so that the Terraform address is the construct's own (prefect_block.<id>)
    // and the resource is node.defaultChild, the escape hatch.
    const resource = new BlockL1(this, "Default", {
      name: props.name,
      typeSlug: props.typeSlug,
      data: jsonAttribute(data),
    });
    this.blockDocumentId = resource.id;
    this.blockName = resource.name;
    this.typeSlug = props.typeSlug;
    validateAtSynth(this, () => [
      ...this.extraProblems,
      ...secrets.problems(),
      ...propProblems(blockSchema, { name: props.name, type_slug: props.typeSlug, data: standIns(data) }),
    ]);
  }
}
