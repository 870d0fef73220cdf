// The devserver's programmatic API: start one in a test or a script.
export { startDevServer, DEFAULT_ACCOUNT_ID, DEFAULT_WORKSPACE_ID, type DevServer, type DevServerOptions, type Exchange } from "./server.js";
export type { FaultConfig, FaultRule } from "./faults.js";
