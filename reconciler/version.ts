// The package's version, from its package.json: two folders up from both reconciler/ (sources)
// and dist/reconciler/ (the published build).
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "prefect-gitops" && manifest.version) return manifest.version;
    } catch {
      // not at this level
    }
  }
  return "0.0.0";
}
