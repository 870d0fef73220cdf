// Log lines in hclog's JSON form on stderr: go-plugin parses them (hashicorp/go-plugin
// log_entry.go) and Terraform shows each at its level (TF_LOG=debug). Callers pass messages that
// carry no attribute values.
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** go-plugin parses @timestamp with the layout 2006-01-02T15:04:05.000000Z07:00: six fractional digits, or the line is shown raw. */
const timestamp = (now: Date): string => now.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export function hclogLine(level: LogLevel, message: string, now = new Date()): string {
  return JSON.stringify({ "@level": level, "@message": message, "@timestamp": timestamp(now) });
}
