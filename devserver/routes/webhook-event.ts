// From an HTTP request to a webhook to a Prefect event: what the template sees of the request
// (Prefect Cloud's documented preprocessing of headers and body), and the checks an event
// rendered by a template must pass before it is recorded (Prefect's Event model:
// prefect/server/events/schemas/events.py).
import type { IncomingHttpHeaders } from "node:http";
import { timestamp } from "../filters.js";

/** Prefect's limits on one event (PREFECT_EVENTS_MAXIMUM_LABELS_PER_RESOURCE / _RELATED_RESOURCES). */
const MAXIMUM_LABELS_PER_RESOURCE = 500;
const MAXIMUM_RELATED_RESOURCES = 500;

/** An event as the server stores and returns it (the contract's ReceivedEvent). */
export interface ReceivedEvent {
  [key: string]: unknown;
  id: string;
  occurred: string;
  event: string;
  resource: Record<string, string>;
  related: Record<string, string>[];
  payload: Record<string, unknown>;
  follows: string | null;
  received: string;
}

/** A rendered template that is not a valid event; `message` lists every problem found. */
export class InvalidEventError extends Error {
  readonly code = "INVALID_EVENT";
  constructor(message: string) {
    super(message);
    this.name = "InvalidEventError";
  }
}

/**
 * The headers a template sees: names lower-cased, repeated headers joined, and the
 * `Authorization` header removed so a template cannot leak the caller's credentials.
 */
export function templateHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.toLowerCase() === "authorization") continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/**
 * The body a template sees: a form (`application/x-www-form-urlencoded`) becomes a flat
 * dictionary (the last value of a repeated field wins), anything else is parsed as JSON
 * when it is JSON and is otherwise the text itself.
 */
export function templateBody(rawBody: string, contentType: string | undefined): unknown {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/x-www-form-urlencoded") {
    const fields: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(rawBody)) fields[name] = value;
    return fields;
  }
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A UUID in canonical form (pydantic accepts it with or without hyphens, in any case). */
function canonicalUuid(value: unknown): string | undefined {
  if (typeof value !== "string" || !UUID.test(value)) return undefined;
  const hex = value.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}:?\d{2})?)?$/;

/** A datetime the way pydantic reads one: ISO 8601 (naive means UTC) or Unix seconds (milliseconds when huge). */
function parseDatetime(value: unknown): Date | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    return new Date(Math.abs(value) > 2e10 ? value : value * 1000);
  }
  if (typeof value !== "string" || !ISO_DATETIME.test(value)) return undefined;
  let text = value.replace(" ", "T");
  if (!text.includes("T")) text += "T00:00:00";
  if (!/(?:Z|z|[+-]\d{2}:?\d{2})$/.test(text)) text += "Z";
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Check a resource's labels; `role` says it is a related resource, which also needs a role. */
function checkResource(value: unknown, where: string, role: boolean, problems: string[]): Record<string, string> | undefined {
  if (!isObject(value)) {
    problems.push(`${where}: Input should be a valid dictionary`);
    return undefined;
  }
  const before = problems.length;
  for (const [label, labelValue] of Object.entries(value)) {
    if (typeof labelValue !== "string") problems.push(`${where}.${label}: Input should be a valid string`);
  }
  if (problems.length > before) return undefined;
  if (Object.keys(value).length > MAXIMUM_LABELS_PER_RESOURCE) {
    problems.push(`${where}: The maximum number of labels per resource is ${MAXIMUM_LABELS_PER_RESOURCE}`);
  }
  if (!("prefect.resource.id" in value)) problems.push(`${where}: Resources must include the prefect.resource.id label`);
  else if (!value["prefect.resource.id"]) problems.push(`${where}: The prefect.resource.id label must be non-empty`);
  if (role) {
    if (!("prefect.resource.role" in value)) problems.push(`${where}: Related Resources must include the prefect.resource.role label`);
    else if (!value["prefect.resource.role"]) problems.push(`${where}: The prefect.resource.role label must be non-empty`);
  }
  return problems.length > before ? undefined : (value as Record<string, string>);
}

/** What the server fills in for the fields a template leaves out. */
export interface EventDefaults {
  now: Date;
  newId(): string;
  /** The payload when the template gives none: Prefect Cloud's debugging information about the request. */
  payload: Record<string, unknown>;
  /** Added to `related`: the webhook that produced the event. */
  related: Record<string, string>;
}

/**
 * The event a template rendered, validated as Prefect's Event model validates it (unknown
 * fields ignored) and completed: `id`, `occurred` and `payload` when absent, `received` now,
 * and the webhook as a related resource. Throws InvalidEventError listing every problem.
 */
export function eventFromRendered(rendered: string, defaults: EventDefaults): ReceivedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rendered);
  } catch (error) {
    throw new InvalidEventError(`The template did not render valid JSON: ${(error as Error).message}.`);
  }
  if (!isObject(parsed)) throw new InvalidEventError("The template must render a JSON object describing an event.");

  const problems: string[] = [];
  if (!("event" in parsed)) problems.push("event: Field required");
  else if (typeof parsed.event !== "string") problems.push("event: Input should be a valid string");

  let resource: Record<string, string> | undefined;
  if (!("resource" in parsed)) problems.push("resource: Field required");
  else resource = checkResource(parsed.resource, "resource", false, problems);

  const related: Record<string, string>[] = [];
  if (parsed.related !== undefined) {
    if (!Array.isArray(parsed.related)) problems.push("related: Input should be a valid list");
    else {
      parsed.related.forEach((item, index) => {
        const checked = checkResource(item, `related.${index}`, true, problems);
        if (checked) related.push(checked);
      });
      if (parsed.related.length > MAXIMUM_RELATED_RESOURCES) {
        problems.push(`related: The maximum number of related resources is ${MAXIMUM_RELATED_RESOURCES}`);
      }
    }
  }

  if (parsed.payload !== undefined && !isObject(parsed.payload)) problems.push("payload: Input should be a valid dictionary");

  let occurred = defaults.now;
  if (parsed.occurred !== undefined) {
    const date = parseDatetime(parsed.occurred);
    if (date) occurred = date;
    else problems.push("occurred: Input should be a valid datetime");
  }

  let id: string | undefined;
  if (parsed.id !== undefined) {
    id = canonicalUuid(parsed.id);
    if (!id) problems.push("id: Input should be a valid UUID");
  }

  let follows: string | null = null;
  if (parsed.follows !== undefined && parsed.follows !== null) {
    follows = canonicalUuid(parsed.follows) ?? null;
    if (!follows) problems.push("follows: Input should be a valid UUID");
  }

  if (problems.length || !resource) {
    throw new InvalidEventError(`The template rendered an invalid event: ${problems.join("; ")}.`);
  }
  return {
    id: id ?? defaults.newId(),
    occurred: timestamp(occurred),
    event: parsed.event as string,
    resource,
    related: [...related, defaults.related],
    payload: isObject(parsed.payload) ? parsed.payload : defaults.payload,
    follows,
    received: timestamp(defaults.now),
  };
}
