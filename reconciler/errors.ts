// The engine's one error model. Every diagnostic, every thrown engine error and every apply
// failure carries a `code` from ERROR_CODES: short, stable, documented in README ("Error
// codes"), so CI and the reconcile loop match on codes, never on message text. Whether a code
// is worth retrying is decided here once; for Prefect's answers it follows the client's own
// rule (provider/client/errors.ts `isRetryable`), so the loop and the client never disagree.
import { isRetryable as clientRetryable, PrefectError, type PrefectErrorCode } from "../provider/client/errors.js";

export interface ErrorCodeInfo {
  /** Whether running the same command again later, with nothing changed, may succeed. */
  readonly retryable: boolean;
  /** What the code means, one line (README lists it). */
  readonly meaning: string;
}

/** Every code the engine emits. Add one here, use it, and list it in README's "Error codes". */
export const ERROR_CODES = {
  CONFIG_NOT_FOUND: { retryable: false, meaning: "no configuration where one was expected: not a directory, no *.tf/*.tf.json/cdk.tf.json/cdktf.json, no synthesized stack" },
  CONFIG_SYNTAX: { retryable: false, meaning: "a file is not valid HCL or JSON" },
  CONFIG_UNSUPPORTED: { retryable: false, meaning: "a block, argument, provider or expression the engine does not support" },
  CONFIG_INVALID: { retryable: false, meaning: "a configuration argument has a value it cannot take (count, for_each, depends_on, lifecycle...)" },
  CONFIG_DUPLICATE: { retryable: false, meaning: "something is declared twice: an address, a variable, a local, or two declarations of one Prefect object" },
  CONFIG_CYCLE: { retryable: false, meaning: "resources refer to each other in a cycle" },
  CONFIG_EMPTY: { retryable: false, meaning: "(warning) nothing is declared" },
  EXPRESSION_INVALID: { retryable: false, meaning: "an expression cannot be evaluated: malformed, a wrong type, or an unsupported function" },
  REFERENCE_UNDECLARED: { retryable: false, meaning: "a reference names a resource, variable or local value that is not declared" },
  VARIABLE_MISSING: { retryable: false, meaning: "a variable without a default has no value" },
  VARIABLE_INVALID: { retryable: false, meaning: "a variable's value has the wrong type, or --var names an undeclared variable" },
  CDKTF_APP_FAILED: { retryable: false, meaning: "the CDKTF app of cdktf.json failed or wrote no stack" },
  RESOURCE_TYPE_UNSUPPORTED: { retryable: false, meaning: "a resource type the engine does not manage" },
  ATTRIBUTE_INVALID: { retryable: false, meaning: "a resource attribute breaks its kind's rules (schema, allowed values, the provider's workspace)" },
  CLOUD_ONLY: { retryable: false, meaning: "the resource type exists only in Prefect Cloud, and the target is a Prefect server" },
  RESOURCE_EXISTS: { retryable: false, meaning: "a declared object already exists in Prefect and this state does not own it: import it or plan with --adopt" },
  IDENTITY_CONFLICT: { retryable: false, meaning: "the declared object is already owned by the state under another address" },
  PREVENT_DESTROY: { retryable: false, meaning: "the plan would delete or replace an object with lifecycle.prevent_destroy" },
  DESTROY_ALL_REFUSED: { retryable: false, meaning: "the plan would delete every owned object; run destroy for that" },
  CREATE_INTERRUPTED: { retryable: false, meaning: "(warning) an interrupted create could not be resolved" },
  LIVE_READ_FAILED: { retryable: true, meaning: "the live objects of a kind could not be read" },
  DEPENDENCY_FAILED: { retryable: true, meaning: "an object was not applied because one it depends on failed" },
  CONNECTION_INVALID: { retryable: false, meaning: "the connection settings are missing or invalid (URL, API key, profile, provider block)" },
  PREFECT_UNAVAILABLE: { retryable: true, meaning: "Prefect could not be reached or was busy: network error, timeout, 408, 429, 502, 503, 504" },
  PREFECT_AUTH: { retryable: false, meaning: "Prefect refused the credentials (401) or the permission (403)" },
  PREFECT_NOT_FOUND: { retryable: false, meaning: "an object disappeared from Prefect while it was being changed (404)" },
  PREFECT_REJECTED: { retryable: false, meaning: "Prefect refused the request: invalid (422), conflicting (409), locked (423) or another 4xx" },
  PREFECT_SERVER_ERROR: { retryable: false, meaning: "Prefect failed with a 500, which it answers the same way each time" },
  BLOCK_TYPE_UNKNOWN: { retryable: false, meaning: "a block's type_slug is not a block type of the workspace, or has no schema yet" },
  STATE_LOCKED: { retryable: true, meaning: "another run holds the state lock" },
  STATE_INVALID: { retryable: false, meaning: "the state is unreadable, of another version, or disagrees with the configuration" },
  STATE_IO: { retryable: false, meaning: "the state or its lock could not be read or written (file system)" },
  ADDRESS_UNKNOWN: { retryable: false, meaning: "an address or name given on the command line is not declared or not in the state" },
  ARGUMENT_INVALID: { retryable: false, meaning: "a command-line argument is missing, malformed or conflicts with another" },
  PLAN_INVALID: { retryable: false, meaning: "a saved plan cannot be read or is of another version" },
  PLAN_STALE: { retryable: false, meaning: "a saved plan no longer matches the configuration, the state or the live objects" },
  APPROVAL_REQUIRED: { retryable: false, meaning: "apply needs approval: run with --auto-approve or answer yes" },
  FILE_EXISTS: { retryable: false, meaning: "a file the command would write exists already" },
  FILE_IO: { retryable: false, meaning: "a file could not be read or written" },
  INTERNAL: { retryable: false, meaning: "an unexpected failure (a bug): please report it with --log-level debug output" },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** Where an error happened, when known. */
export interface ErrorPlace {
  address?: string;
  attribute?: string;
}

/** An engine failure: a stable code, whether retrying may help, where it happened, and its cause. */
export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly address?: string;
  readonly attribute?: string;

  constructor(code: ErrorCode, message: string, options: ErrorPlace & { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.address !== undefined) this.address = options.address;
    if (options.attribute !== undefined) this.attribute = options.attribute;
  }

  /** Whether running again later, with nothing changed, may succeed. */
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

/**
 * The client's codes that are final (the retryable ones are PREFECT_UNAVAILABLE, decided by the
 * client's own `isRetryable`). Typed over every client code, so a new one must be placed here.
 */
const CLIENT_CODES: Record<PrefectErrorCode, ErrorCode> = {
  not_found: "PREFECT_NOT_FOUND",
  conflict: "PREFECT_REJECTED",
  validation: "PREFECT_REJECTED",
  locked: "PREFECT_REJECTED",
  unexpected_status: "PREFECT_REJECTED",
  unauthorized: "PREFECT_AUTH",
  forbidden: "PREFECT_AUTH",
  server_error: "PREFECT_SERVER_ERROR",
  rate_limited: "PREFECT_UNAVAILABLE",
  request_timeout: "PREFECT_UNAVAILABLE",
  network: "PREFECT_UNAVAILABLE",
  timeout: "PREFECT_UNAVAILABLE",
  configuration: "CONNECTION_INVALID",
};

/** Codes of errors thrown by provider kinds (provider/kinds/block/errors.ts, provider/kinds/runtime.ts). */
const KIND_CODES: Record<string, ErrorCode> = {
  object_gone: "PREFECT_NOT_FOUND",
  unknown_block_type: "BLOCK_TYPE_UNKNOWN",
  no_block_schema: "BLOCK_TYPE_UNKNOWN",
  invalid_block_data: "ATTRIBUTE_INVALID",
};

function ownCode(value: unknown): ErrorCode | undefined {
  if (value instanceof EngineError) return value.code;
  if (value instanceof PrefectError) return clientRetryable(value) ? "PREFECT_UNAVAILABLE" : CLIENT_CODES[value.code];
  const code = (value as { code?: unknown } | null | undefined)?.code;
  if (isErrorCode(code)) return code;
  if (typeof code === "string" && Object.hasOwn(KIND_CODES, code)) return KIND_CODES[code];
  // A Node.js system error (ENOENT, EACCES...) from the file system.
  if (typeof code === "string" && typeof (value as { syscall?: unknown }).syscall === "string") return "FILE_IO";
  return undefined;
}

/** The code of any thrown value: its own, else its cause's (followed down), else INTERNAL. */
export function errorCode(value: unknown): ErrorCode {
  const seen = new Set<unknown>();
  for (let current = value; current !== undefined && current !== null && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const code = ownCode(current);
    if (code) return code;
  }
  return "INTERNAL";
}

/**
 * Whether running again later may succeed (Prefect busy or unreachable, the lock held) rather
 * than needing someone to change something (invalid configuration, credentials, a bug).
 */
export function isRetryable(value: unknown): boolean {
  if (value instanceof EngineError) return value.retryable;
  return ERROR_CODES[errorCode(value)].retryable;
}

/** Any thrown value as an EngineError: itself when it is one, else wrapped with its code and the same message. */
export function toEngineError(value: unknown, place: ErrorPlace = {}): EngineError {
  if (value instanceof EngineError && (place.address === undefined || value.address !== undefined)) return value;
  const message = value instanceof Error ? value.message : String(value);
  const attribute = value instanceof EngineError ? value.attribute : undefined;
  return new EngineError(errorCode(value), message, { attribute, ...place, cause: value });
}

/** The code as text output shows it: `code: STATE_LOCKED (retryable)`. */
export function codeLine(code: ErrorCode, retryable: boolean = ERROR_CODES[code].retryable): string {
  return `code: ${code}${retryable ? " (retryable)" : ""}`;
}

/** The JSON form of a failure, for `--json` output: no stack, no cause (a cause may quote a request). */
export interface ErrorJson {
  code: ErrorCode;
  retryable: boolean;
  message: string;
  address?: string;
  attribute?: string;
}

export function errorJson(value: unknown, place: ErrorPlace = {}): ErrorJson {
  const error = toEngineError(value, place);
  return {
    code: error.code,
    retryable: isRetryable(error),
    message: error.message,
    ...(error.address !== undefined ? { address: error.address } : {}),
    ...(error.attribute !== undefined ? { attribute: error.attribute } : {}),
  };
}
