// Replaying a recording against a server, one request at a time in the recorded order, and
// collecting every way its answers differ from the recorded ones.
import { compareResponses, IdMap, type Mismatch } from "./compare.js";
import type { RecordedExchange } from "./recordings.js";

/** A mismatch, with the exchange it came from. */
export interface Finding extends Mismatch {
  recording: string;
  /** The exchange's deviation key (a scenario's label, or `METHOD /template`). */
  exchange: string;
  /** Where in the recording: a label or `#seq`. */
  at: string;
}

async function send(baseUrl: string, method: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method, headers: {} };
  if (body !== null && body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, body: parsed };
}

/**
 * Send each exchange's request to `baseUrl` (`http://host:port/api`) with recorded ids
 * replaced by the live ids paired so far, and compare each answer with the recorded one.
 */
export async function replay(recording: string, exchanges: readonly RecordedExchange[], baseUrl: string): Promise<Finding[]> {
  const ids = new IdMap();
  const findings: Finding[] = [];
  for (const exchange of exchanges) {
    const live = await send(baseUrl, exchange.method, ids.rewriteText(exchange.path), ids.rewrite(exchange.request));
    const mismatches = compareResponses({ status: exchange.status, body: exchange.response }, live, ids);
    for (const mismatch of mismatches) findings.push({ ...mismatch, recording, exchange: exchange.key, at: exchange.at });
  }
  return findings;
}
