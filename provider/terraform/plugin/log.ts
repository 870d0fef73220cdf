// Log lines in hclog's JSON form on stderr: go-plugin reads them and Terraform shows them at the
// level given (TF_LOG=debug). Callers pass messages that carry no attribute values.
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

export function hclogLine(level: LogLevel, message: string, now = new Date()): string {
  return JSON.stringify({ "@level": level, "@message": message, "@module": "prefect", "@timestamp": now.toISOString() });
}
