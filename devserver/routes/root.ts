// Health, version and CSRF: what a client asks a server before anything else.
import { DEVSERVER_VERSION_INFO } from "../version.js";
import { HttpError, ok } from "../http.js";
import type { Router } from "../router.js";

export function registerRootRoutes(router: Router): void {
  router.get("/health", () => ok(true));
  router.get("/ready", () => ok({ message: "OK" }));
  router.get("/hello", () => ok("👋"));
  router.get("/admin/version", () => ok(DEVSERVER_VERSION_INFO.prefect_version));
  router.get("/version", () => ok(DEVSERVER_VERSION_INFO.api_version));
  // A server without CSRF protection answers this way; clients then skip CSRF tokens.
  router.get("/csrf-token", (ctx) => {
    if (!ctx.query.get("client")) {
      throw new HttpError(422, {
        exception_message: "Invalid request received.",
        exception_detail: [{ type: "missing", loc: ["query", "client"], msg: "Field required", input: null }],
        request_body: null,
      });
    }
    throw new HttpError(422, { detail: "CSRF protection is disabled." });
  });
}
