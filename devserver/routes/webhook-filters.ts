// The Jinja2 pieces webhook templates rely on that nunjucks lacks: Python's way of printing
// and JSON-encoding values, the Jinja2 filters and tests nunjucks has no counterpart for,
// Prefect's `from_cloud_event`, and the `jinja2-humanize-extension` filters Prefect Cloud
// loads. Pure functions; webhook-template.ts registers them on the environment.
import { pythonStringRepr, UUID_PATTERN } from "../http.js";

/** Keyword arguments as nunjucks passes them: a trailing object marked `__keywords`. */
interface Keywords {
  __keywords: true;
  [name: string]: unknown;
}

function isKeywords(value: unknown): value is Keywords {
  return typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, "__keywords");
}

/** Split nunjucks filter arguments into positional arguments and keyword arguments. */
export function splitArguments(args: unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (!isKeywords(last)) return { positional: args, keywords: {} };
  const keywords: Record<string, unknown> = { ...last };
  delete keywords.__keywords;
  return { positional: args.slice(0, -1), keywords };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What Python's `repr()` prints for a JSON-like value (`{'a': 1, 'b': None}`). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return pythonStringRepr(value);
  if (typeof value === "number") return pythonNumber(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonStringRepr(key)}: ${pythonRepr(item)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  return String(value);
}

/**
 * Give every object and list in a template context Python's string form, so `{{ body }}`
 * prints `{'a': 1}` as Jinja2 does instead of `[object Object]`. The method is not
 * enumerable, so iteration, `tojson` and `dump` do not see it.
 */
export function withPythonStrings<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) value.forEach(withPythonStrings);
  else Object.values(value).forEach(withPythonStrings);
  Object.defineProperty(value, "toString", { value: () => pythonRepr(value), enumerable: false, configurable: true, writable: true });
  return value;
}

/** A JSON string literal with everything outside printable ASCII escaped, as `ensure_ascii` does. */
function jsonString(value: string): string {
  let out = '"';
  for (let index = 0; index < value.length; index++) {
    const char = value[index] ?? "";
    const code = value.charCodeAt(index);
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char === "\b") out += "\\b";
    else if (char === "\f") out += "\\f";
    // UTF-16 code units are what Python's ensure_ascii writes too (surrogate pairs included).
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return out + '"';
}

/**
 * `json.dumps(value, sort_keys=True)` as Jinja2's `tojson` calls it: Python's separators,
 * sorted keys, non-ASCII escaped. Throws for values JSON cannot hold (an undefined variable).
 */
export function pythonJsonDumps(value: unknown, indent?: number): string {
  const write = (item: unknown, depth: number): string => {
    if (item === undefined || typeof item === "function" || typeof item === "symbol" || typeof item === "bigint") {
      throw new TypeError(`Object of type ${item === undefined ? "Undefined" : typeof item} is not JSON serializable`);
    }
    if (item === null) return "null";
    if (item === true || item === false) return String(item);
    if (typeof item === "number") return pythonNumber(item);
    if (typeof item === "string") return jsonString(item);
    if (item instanceof Date) throw new TypeError("Object of type datetime is not JSON serializable");
    const inner = indent === undefined ? "" : "\n" + " ".repeat(indent * (depth + 1));
    const outer = indent === undefined ? "" : "\n" + " ".repeat(indent * depth);
    const comma = indent === undefined ? ", " : ",";
    if (Array.isArray(item)) {
      if (!item.length) return "[]";
      return `[${inner}${item.map((element) => write(element, depth + 1)).join(comma + inner)}${outer}]`;
    }
    if (typeof item === "object") {
      const entries = Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (!entries.length) return "{}";
      return `{${inner}${entries.map(([key, element]) => `${jsonString(key)}: ${write(element, depth + 1)}`).join(comma + inner)}${outer}}`;
    }
    return jsonString(String(item));
  };
  return write(value, 0);
}

/** Jinja2's `tojson`: JSON safe to embed in HTML (`<`, `>`, `&` and `'` escaped). */
export function tojson(value: unknown, ...args: unknown[]): string {
  const { positional, keywords } = splitArguments(args);
  const indent = (keywords.indent ?? positional[0]) as number | undefined;
  return pythonJsonDumps(value, typeof indent === "number" ? indent : undefined)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/'/g, "\\u0027");
}

/** Jinja2's `items`: the (key, value) pairs of a mapping. */
export function items(value: unknown): [string, unknown][] {
  if (value === null || value === undefined) return [];
  if (!isPlainObject(value)) throw new TypeError("Can only get item pairs from a mapping.");
  return Object.entries(value);
}

function attributeOf(item: unknown, path: unknown): unknown {
  let current = item;
  for (const part of String(path).split(".")) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string, unknown>)[/^\d+$/.test(part) && Array.isArray(current) ? Number(part) : part];
  }
  return current;
}

/** Jinja2's `attr`: one attribute of an object. */
export function attr(value: unknown, name: unknown): unknown {
  return attributeOf(value, name);
}

function extreme(direction: 1 | -1) {
  return (value: unknown, ...args: unknown[]): unknown => {
    const { keywords } = splitArguments(args);
    const list = Array.isArray(value) ? value : typeof value === "string" ? [...value] : [];
    const key = (item: unknown): number | string => {
      const picked = keywords.attribute === undefined ? item : attributeOf(item, keywords.attribute);
      if (typeof picked === "string") return keywords.case_sensitive ? picked : picked.toLowerCase();
      return Number(picked);
    };
    let best: unknown = undefined;
    for (const item of list) {
      if (best === undefined) best = item;
      else if (direction === 1 ? key(item) > key(best) : key(item) < key(best)) best = item;
    }
    return best;
  };
}

/** Jinja2's `max`. */
export const max = extreme(1);
/** Jinja2's `min`. */
export const min = extreme(-1);

/** Jinja2's `unique`: items in order, duplicates dropped. */
export function unique(value: unknown, ...args: unknown[]): unknown[] {
  const { keywords } = splitArguments(args);
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const item of Array.isArray(value) ? value : []) {
    let key = keywords.attribute === undefined ? item : attributeOf(item, keywords.attribute);
    if (typeof key === "string" && !keywords.case_sensitive) key = key.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** Python's `%` string formatting, which Jinja2's `format` filter applies. */
export function format(template: unknown, ...args: unknown[]): string {
  const { positional, keywords } = splitArguments(args);
  let next = 0;
  return String(template).replace(/%(?:\(([^)]+)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdirfFeExXo%])/g, (_match, name: string | undefined, flags: string, width: string | undefined, precision: string | undefined, type: string) => {
    if (type === "%") return "%";
    const value = name !== undefined ? keywords[name] : positional[next++];
    let text: string;
    switch (type) {
      case "s":
        text = typeof value === "string" ? value : pythonRepr(value);
        break;
      case "r":
        text = pythonRepr(value);
        break;
      case "d":
      case "i":
        text = String(Math.trunc(Number(value)));
        break;
      case "f":
      case "F":
        text = Number(value).toFixed(precision === undefined ? 6 : Number(precision));
        break;
      case "e":
      case "E": {
        const exponent = Number(value).toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, "e$10$2");
        text = type === "E" ? exponent.toUpperCase() : exponent;
        break;
      }
      case "x":
        text = Math.trunc(Number(value)).toString(16);
        break;
      case "X":
        text = Math.trunc(Number(value)).toString(16).toUpperCase();
        break;
      default:
        text = Math.trunc(Number(value)).toString(8);
    }
    if (type !== "s" && type !== "r" && flags.includes("+") && Number(value) >= 0) text = `+${text}`;
    const size = width === undefined ? 0 : Number(width);
    if (text.length < size) text = flags.includes("-") ? text.padEnd(size) : flags.includes("0") && type !== "s" ? text.padStart(size, "0") : text.padStart(size);
    return text;
  });
}

/** Jinja2's `map`: an attribute of every item, or every item through another filter. */
export function mapItems(this: { env: { getFilter(name: string): (...args: unknown[]) => unknown } }, value: unknown, ...args: unknown[]): unknown[] {
  const { positional, keywords } = splitArguments(args);
  const list = Array.isArray(value) ? value : [];
  if (keywords.attribute !== undefined) {
    return list.map((item) => attributeOf(item, keywords.attribute) ?? keywords.default);
  }
  const [name, ...rest] = positional;
  if (typeof name !== "string") return list;
  const filter = this.env.getFilter(name);
  return list.map((item) => filter.call(this, item, ...rest));
}

/** Jinja2 tests nunjucks lacks (`x is boolean`, `x is true`, `x is integer`, ...). */
export const JINJA_TESTS: Record<string, (value: unknown, ...args: unknown[]) => boolean> = {
  true: (value) => value === true,
  false: (value) => value === false,
  boolean: (value) => typeof value === "boolean",
  integer: (value) => typeof value === "number" && Number.isInteger(value),
  float: (value) => typeof value === "number" && !Number.isInteger(value),
  sequence: (value) => typeof value === "string" || Array.isArray(value) || isPlainObject(value),
};

/** CloudEvents attributes carried in `ce-*` headers (binary content mode). */
function cloudEventFromHeaders(body: unknown, headers: Record<string, unknown>): Record<string, unknown> | undefined {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase().startsWith("ce-")) attributes[name.slice(3).toLowerCase()] = value;
  }
  if (attributes.specversion === undefined) return undefined;
  const contentType = headers["content-type"];
  if (typeof contentType === "string") attributes.datacontenttype = contentType;
  return { ...attributes, data: body };
}

/**
 * Prefect Cloud's `from_cloud_event(headers)` filter: turn a CloudEvent (structured mode,
 * the whole event in a JSON body, or binary mode, attributes in `ce-*` headers) into a
 * Prefect event, as JSON. The event is named by `type`, its resource is the `subject` (or
 * the `source`), `data` goes to `payload.data` and the other attributes to
 * `payload.cloudevents`.
 */
export function fromCloudEvent(body: unknown, headers: unknown): string {
  const headerMap = isPlainObject(headers) ? headers : {};
  const cloudEvent = isPlainObject(body) && body.specversion !== undefined ? body : cloudEventFromHeaders(body, headerMap);
  if (!cloudEvent) throw new Error("The request is not a CloudEvent: no specversion in the body or a ce-specversion header.");
  const { data, ...metadata } = cloudEvent;
  const resourceId = metadata.subject ?? metadata.source;
  const event: Record<string, unknown> = {
    event: metadata.type,
    resource: { "prefect.resource.id": resourceId === undefined ? undefined : String(resourceId) },
    payload: { data: data ?? null, cloudevents: metadata },
  };
  if (typeof metadata.time === "string") event.occurred = metadata.time;
  if (typeof metadata.id === "string" && UUID_PATTERN.test(metadata.id)) event.id = metadata.id;
  return JSON.stringify(event);
}

// --- jinja2-humanize-extension: `humanize_<function>` filters over the humanize package ---

function toNumber(value: unknown): number {
  const number = typeof value === "number" ? value : Number(value);
  if (Number.isNaN(number)) throw new TypeError(`${pythonRepr(value)} is not a number`);
  return number;
}

/** `1234567` -> `1,234,567`. */
export function intcomma(value: unknown, ...args: unknown[]): string {
  const { positional, keywords } = splitArguments(args);
  const digits = (keywords.ndigits ?? positional[0]) as number | undefined;
  let number: number;
  try {
    number = toNumber(value);
  } catch {
    return String(value);
  }
  const text = digits === undefined || digits === null ? String(number) : number.toFixed(digits);
  const [whole = "", fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `1` -> `1st`, `12` -> `12th`, `22` -> `22nd`. */
export function ordinal(value: unknown): string {
  let number: number;
  try {
    number = Math.trunc(toNumber(value));
  } catch {
    return String(value);
  }
  const suffixes = ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"];
  const suffix = [11, 12, 13].includes(number % 100) ? "th" : suffixes[number % 10] ?? "th";
  return `${number}${suffix}`;
}

const AP_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/** `5` -> `five` (0 to 9 spelled out, as the Associated Press style does). */
export function apnumber(value: unknown): string {
  let number: number;
  try {
    number = toNumber(value);
  } catch {
    return String(value);
  }
  return Number.isInteger(number) && number >= 0 && number < 10 ? (AP_NUMBERS[number] ?? String(number)) : String(number);
}

const POWERS: [number, string][] = [
  [1e6, "million"],
  [1e9, "billion"],
  [1e12, "trillion"],
  [1e15, "quadrillion"],
  [1e18, "quintillion"],
  [1e21, "sextillion"],
  [1e24, "septillion"],
  [1e27, "octillion"],
  [1e30, "nonillion"],
  [1e33, "decillion"],
  [1e100, "googol"],
];

/** `1200000` -> `1.2 million`. */
export function intword(value: unknown, ...args: unknown[]): string {
  const { positional, keywords } = splitArguments(args);
  const spec = String(keywords.format ?? positional[0] ?? "%.1f");
  let number: number;
  try {
    number = toNumber(value);
  } catch {
    return String(value);
  }
  const magnitude = Math.abs(number);
  if (magnitude < 1e6) return String(number);
  let chosen: [number, string] = POWERS[0] ?? [1e6, "million"];
  for (const power of POWERS) if (magnitude >= power[0]) chosen = power;
  return `${format(spec, number / chosen[0])} ${chosen[1]}`;
}

/** `30000000` -> `30.0 MB` (`binary=True` for KiB/MiB, `gnu=True` for `28.6M`). */
export function naturalsize(value: unknown, ...args: unknown[]): string {
  const { positional, keywords } = splitArguments(args);
  const binary = Boolean(keywords.binary ?? positional[0] ?? false);
  const gnu = Boolean(keywords.gnu ?? positional[1] ?? false);
  const spec = String(keywords.format ?? positional[2] ?? "%.1f");
  const bytes = toNumber(value);
  const base = gnu || binary ? 1024 : 1000;
  const suffixes = gnu ? ["K", "M", "G", "T", "P", "E", "Z", "Y"] : binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"] : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
  const magnitude = Math.abs(bytes);
  if (magnitude === 1 && !gnu) return `${bytes} Byte`;
  if (magnitude < base) return gnu ? `${bytes}B` : `${bytes} Bytes`;
  let exponent = Math.min(Math.floor(Math.log(magnitude) / Math.log(base)), suffixes.length);
  if (exponent < 1) exponent = 1;
  const scaled = format(spec, bytes / base ** exponent);
  const suffix = suffixes[exponent - 1] ?? "";
  return gnu ? `${scaled}${suffix}` : `${scaled} ${suffix}`;
}

/** Seconds from a number of seconds, or from a datetime string relative to `now`. */
function secondsFrom(value: unknown, now: Date): number {
  if (typeof value === "string" && Number.isNaN(Number(value))) {
    const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    if (Number.isNaN(parsed)) throw new TypeError(`${pythonRepr(value)} is not a date or a number of seconds`);
    return (now.getTime() - parsed) / 1000;
  }
  return toNumber(value);
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** How long `seconds` is, in words: `a moment`, `5 minutes`, `an hour`, `1 year, 2 months`. */
export function describeDuration(seconds: number): string {
  const delta = Math.abs(seconds);
  const days = Math.floor(delta / 86_400);
  const years = Math.floor(days / 365);
  const rest = delta - days * 86_400;
  if (years === 0 && days < 1) {
    if (rest < 1) return "a moment";
    if (rest < 2) return "a second";
    if (rest < 60) return plural(Math.floor(rest), "second");
    if (rest < 120) return "a minute";
    if (rest < 3600) return plural(Math.floor(rest / 60), "minute");
    if (rest < 7200) return "an hour";
    return plural(Math.floor(rest / 3600), "hour");
  }
  if (years === 0) {
    if (days === 1) return "a day";
    if (days < 30) return plural(days, "day");
    const months = Math.round(days / 30.5);
    return months <= 1 ? "a month" : plural(months, "month");
  }
  const leftover = days - years * 365;
  if (years === 1) {
    const months = Math.round(leftover / 30.5);
    if (!leftover) return "a year";
    return months === 0 ? "1 year, " + plural(leftover, "day") : "1 year, " + plural(months, "month");
  }
  return plural(years, "year");
}

/** `humanize.naturaldelta`: a duration in seconds, in words. */
export function naturaldelta(value: unknown, now: Date): string {
  return describeDuration(secondsFrom(value, now));
}

/** `humanize.naturaltime`: `3 minutes ago`, `an hour from now`, `now`. */
export function naturaltime(value: unknown, now: Date): string {
  const seconds = secondsFrom(value, now);
  const words = describeDuration(seconds);
  if (words === "a moment") return "now";
  return seconds >= 0 ? `${words} ago` : `${words} from now`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function dayOf(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = Date.parse(/T|\s\d/.test(value) && !/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? `${value}Z` : value);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

/** `humanize.naturalday`: `today`, `yesterday`, `tomorrow`, or `Mar 05`. */
export function naturalday(value: unknown, now: Date, withYear = false): string {
  const date = dayOf(value);
  if (!date) return String(value);
  const dayNumber = (when: Date) => Math.floor(when.getTime() / 86_400_000);
  const difference = dayNumber(date) - dayNumber(now);
  if (difference === 0) return "today";
  if (difference === 1) return "tomorrow";
  if (difference === -1) return "yesterday";
  const label = `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, "0")}`;
  return withYear ? `${label} ${date.getUTCFullYear()}` : label;
}

/** `humanize.naturaldate`: like `naturalday`, with the year when the date is about five months or more away. */
export function naturaldate(value: unknown, now: Date): string {
  const date = dayOf(value);
  if (!date) return String(value);
  return naturalday(value, now, Math.abs(date.getTime() - now.getTime()) >= 5 * 30.5 * 86_400_000);
}

/** `humanize.precisedelta`: `1 hour, 2 minutes and 3 seconds`. */
export function precisedelta(value: unknown, now: Date): string {
  let remaining = Math.abs(secondsFrom(value, now));
  const units: [number, string][] = [
    [365 * 86_400, "year"],
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  const parts: string[] = [];
  for (const [size, unit] of units) {
    const count = Math.floor(remaining / size);
    if (count) parts.push(plural(count, unit));
    remaining -= count * size;
  }
  if (!parts.length) return "0 seconds";
  if (parts.length === 1) return parts[0] ?? "";
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}
