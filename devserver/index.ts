// The devserver's programmatic API: start one in a test or a script.
export { startDevServer, DEFAULT_ACCOUNT_ID, DEFAULT_WORKSPACE_ID, type DevServer, type DevServerOptions, type Exchange } from "./server.js";
export { DEFAULT_CONTENTION, SERVICE_UNAVAILABLE_BODY, type ContentionSettings, type FaultConfig, type FaultRule } from "./faults.js";
