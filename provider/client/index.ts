export { PrefectClient, API_VERSION, CLIENT_VERSION, errorForStatus, type ClientEvent, type ClientStats, type PrefectClientOptions, type RequestOptions } from "./client.js";
export * from "./errors.js";
export { filterAll, paginateAll, PAGE_SIZE } from "./paginate.js";
export { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, retryClass, retryDelay, type RetryClass, type RetryPolicy } from "./retry.js";
export { describeSettings, resolveSettings, type ClientOptions, type ClientSettings, type RetrySettings, type SettingSource, type SettingsSources } from "./settings.js";
