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

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/** 404 `{"detail": "Work pool \"x\" not found."}` and its relatives. */
export function notFound(detail: string): HttpError {
  return new HttpError(404, { detail });
}

/** 409 on a duplicate name: `{"detail": "A work pool with this name already exists."}`. */
export function conflict(detail: string): HttpError {
  return new HttpError(409, { detail });
}

/** 422 as FastAPI+Prefect answer a body that fails the schema. */
export function unprocessable(issues: ContractIssue[], requestBody: unknown): HttpError {
  return new HttpError(422, {
    exception_message: "Invalid request received.",
    exception_detail: issues,
    request_body: requestBody,
  });
}

/** 422 for one field, with a pydantic-style issue. */
export function invalidField(loc: (string | number)[], msg: string, input: unknown, requestBody: unknown, type = "value_error"): HttpError {
  return unprocessable([{ type, loc, msg, input }], requestBody);
}

/** A 422/400-style `{"detail": "..."}` answer some Prefect routes give for semantic errors. */
export function badRequest(detail: string, status = 422): HttpError {
  return new HttpError(status, { detail });
}
