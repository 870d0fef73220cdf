// The devserver in a process of its own, for benchmarks: the load generator or the engine under
// test must not share its heap or its event loop. It answers its parent over IPC: where it
// listens, its request counters and its memory (after a full GC when started with --expose-gc).
import { startDevServer } from "../../devserver/index.js";

export type ServerRequest =
  | { id: number; type: "counts" }
  | { id: number; type: "reset-counts" }
  | { id: number; type: "memory"; gc?: boolean }
  | { id: number; type: "cpu" }
  | { id: number; type: "close" };

export interface ServerMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Highest resident set size of the process so far (getrusage), in bytes. */
  maxRss: number;
  /** Whether a full GC ran just before (the process was started with --expose-gc). */
  afterGc: boolean;
}

const dataDirArg = process.argv.indexOf("--data-dir");
const dataDir = dataDirArg > 0 ? process.argv[dataDirArg + 1] : undefined;

const server = await startDevServer({ port: 0, dataDir, log: (message) => console.error(message) });

function memory(gc: boolean): ServerMemory {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) {
    collect();
    collect();
  }
  const usage = process.memoryUsage();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    maxRss: process.resourceUsage().maxRSS * 1024,
    afterGc: gc && collect !== undefined,
  };
}

process.on("message", (message: ServerRequest) => {
  const reply = (body: unknown): void => {
    process.send?.({ id: message.id, body });
  };
  switch (message.type) {
    case "counts":
      reply({ total: server.totalRequests(), routes: server.requestCounts(), objects: server.objectCounts() });
      break;
    case "reset-counts":
      server.resetRequestCounts();
      reply(null);
      break;
    case "memory":
      reply(memory(message.gc ?? false));
      break;
    case "cpu": {
      // User + system CPU time of the process so far, in ms.
      const usage = process.cpuUsage();
      reply((usage.user + usage.system) / 1000);
      break;
    }
    case "close":
      void server.close().then(() => {
        reply(null);
        process.disconnect?.();
        process.exit(0);
      });
      break;
  }
});

process.send?.({ id: 0, body: { url: server.url, origin: server.origin, cloudUrl: server.cloudUrl() } });
