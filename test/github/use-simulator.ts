// The GitHub simulator for one test file: started before its tests, closed after them, and each
// test fails when an answer or a request of its own fell outside GitHub's API description.
import { afterAll, afterEach, beforeAll } from "vitest";
import { GitHubSimulator } from "./simulator.js";

export function useGitHubSimulator(options: { repository?: string; token?: string } = {}): GitHubSimulator {
  const sim = new GitHubSimulator(options);
  beforeAll(async () => {
    await sim.start();
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => {
    const violations = sim.violations.splice(0);
    if (violations.length) throw new Error(`Outside GitHub's API description:\n${violations.join("\n")}`);
  });
  return sim;
}
