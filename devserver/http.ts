// Replies and errors in the shapes a Prefect server answers with.
import type { ContractIssue } from "../contract/validator.js";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An error a handler throws to answer with a status and a Prefect-shaped body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "object" && body && "detail" in body ? String((body as { detail: unknown }).detail) : `HTTP ${status}`);
    this.name = "HttpError";
  }
}

/** The reply an HttpError stands for. */
export const replyOf = (error: HttpError): Reply => ({ status: error.status, body: error.body, headers: error.headers });

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/**
 * 500 as a Prefect server answers an exception it did not expect, saying nothing of why
 * (src/prefect/server/api/server.py, custom_internal_exception_handler).
 */
export function internalServerError(): HttpError {
  return new HttpError(500, { exception_message: "Internal Server Error" });
}

/** 404 `{"detail": "Work pool \"x\" not found."}` and its relatives. */
export function notFound(detail: string): HttpError {
  return new HttpError(404, { detail });
}

/** 409 on a duplicate name: `{"detail": "A work pool with this name already exists."}`. */
export function conflict(detail: string): HttpError {
  return new HttpError(409, { detail });
}

/**
 * A string as Python's `repr` writes it, which Prefect's messages use (`{name!r}`): single
 * quotes, unless the text holds a single quote and no double quote.
 */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = [...text]
    .map((char) => {
      if (char === "\\" || char === quote) return `\\${char}`;
      if (char === "\n") return "\\n";
      if (char === "\r") return "\\r";
      if (char === "\t") return "\\t";
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, "0")}`;
      return char;
    })
    .join("");
  return `${quote}${escaped}${quote}`;
}

/** 409 as a Prefect server's IntegrityError handler answers any unique, foreign key or NOT NULL violation, whatever the object. */
export function integrityConflict(): HttpError {
  return conflict("Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.");
}

/** 422 as FastAPI+Prefect answer a body that fails the schema. */
export function unprocessable(issues: ContractIssue[], requestBody: unknown): HttpError {
  return new HttpError(422, {
    exception_message: "Invalid request received.",
    exception_detail: issues,
    request_body: requestBody,
  });
}

/** A pydantic `ValueError` raised by a validator: "Value error, " before the message, the exception in `ctx` (serialized as `{}`). */
export function valueErrorIssue(loc: (string | number)[], message: string, input: unknown): ContractIssue & { ctx: { error: Record<string, never> } } {
  return { type: "value_error", loc, msg: `Value error, ${message}`, input, ctx: { error: {} } };
}

/** 422 for one pydantic `ValueError` (see valueErrorIssue). */
export function valueError(loc: (string | number)[], message: string, input: unknown, requestBody: unknown): HttpError {
  return unprocessable([valueErrorIssue(loc, message, input)], requestBody);
}

/** A UUID as the server's path and body parsing accepts one (any letter case). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 422 for a path parameter that is not a UUID, as FastAPI answers it. */
export function invalidUuidParam(name: string, input: string, requestBody: unknown): HttpError {
  return unprocessable([{ type: "uuid_parsing", loc: ["path", name], msg: "Input should be a valid UUID", input }], requestBody);
}

/** 422 for one field, with a pydantic-style issue. */
export function invalidField(loc: (string | number)[], msg: string, input: unknown, requestBody: unknown, type = "value_error"): HttpError {
  return unprocessable([{ type, loc, msg, input }], requestBody);
}

/** A 422/400-style `{"detail": "..."}` answer some Prefect routes give for semantic errors. */
export function badRequest(detail: string, status = 422): HttpError {
  return new HttpError(status, { detail });
}
