// How far a request that failed without an answer got, from undici's diagnostics channels
// (undici 7 has no public "was this socket reused" flag on a request or its error):
// `undici:client:sendHeaders` names the socket a request is written to, `undici:request:trailers`
// marks an answer complete (the socket is idle from then), and `undici:request:error` carries the
// very error object the request then rejects with, so the delivery can be looked up by that error.
// Subscriptions are process-wide but only attach facts to undici's own objects in weak maps.
import { subscribe } from "node:diagnostics_channel";
import type { Socket } from "node:net";
import type { Delivery } from "./errors.js";

interface SocketFacts {
  /** Requests written to this socket so far. */
  requests: number;
  /** When its last answer completed (`performance.now()`), if one did. */
  idleSince?: number;
}

interface RequestFacts {
  socket: Socket;
  /** The socket had served an earlier request when this one was written to it. */
  reused: boolean;
  /** `socket.bytesRead` when this request was written: any more means its answer had started. */
  bytesReadAtSend: number;
  /** How long the socket had been idle before this request, in milliseconds. */
  idleMs: number;
}

export interface DeliveryFacts {
  delivery: Delivery;
  idleMs?: number;
}

const sockets = new WeakMap<object, SocketFacts>();
const requests = new WeakMap<object, RequestFacts>();
const failures = new WeakMap<object, DeliveryFacts>();
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const { request, socket } = message as { request: object; socket: Socket };
  let facts = sockets.get(socket);
  if (!facts) sockets.set(socket, (facts = { requests: 0 }));
  facts.requests++;
  const now = performance.now();
  requests.set(request, {
    socket,
    reused: facts.requests > 1,
    bytesReadAtSend: socket.bytesRead,
    idleMs: facts.idleSince === undefined ? 0 : now - facts.idleSince,
  });
}

function onTrailers(message: unknown): void {
  const facts = requests.get((message as { request: object }).request);
  const socket = facts && sockets.get(facts.socket);
  if (socket) socket.idleSince = performance.now();
}

function onError(message: unknown): void {
  const { request, error } = message as { request: object; error: unknown };
  if (!error || typeof error !== "object") return;
  const facts = requests.get(request);
  if (!facts) {
    // Never written to a socket: the connection could not be made, or it was aborted while queued.
    failures.set(error, { delivery: "not-sent" });
    return;
  }
  // Not one byte of the answer arrived, on a socket that had answered before: the server (or a
  // proxy) closed the connection as we reused it. A server reading a request does not close the
  // connection under it; one closing an idle connection never read it (uvicorn closes after 5 s
  // idle without announcing it: recordings README, "Keep-Alive").
  const silent = facts.socket.bytesRead === facts.bytesReadAtSend;
  if (facts.reused && silent) failures.set(error, { delivery: "stale-socket", idleMs: facts.idleMs });
  else failures.set(error, { delivery: "unknown" });
}

/** Start watching undici's channels (idempotent; the client calls it once per process). */
export function trackDelivery(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe("undici:client:sendHeaders", onSendHeaders);
  subscribe("undici:request:trailers", onTrailers);
  subscribe("undici:request:error", onError);
}

/** What is known about how far the request that failed with `error` got; `undefined` when undici did not report it. */
export function deliveryOf(error: unknown): DeliveryFacts | undefined {
  return error && typeof error === "object" ? failures.get(error) : undefined;
}
