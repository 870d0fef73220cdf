// The GitHub port (reconciler/git/github.ts) against the simulator: comments kept one per stack
// and updated in place, secrets masked before they leave, terminal failures reported at once,
// retryable ones retried and then reported.
import { describe, expect, it } from "vitest";
import { createGitHubPort, GitHubError } from "../../reconciler/git/github.js";
import { upsertStackComment } from "../../reconciler/gitops/publish.js";
import { useGitHubSimulator } from "./use-simulator.js";

describe("the GitHub port", () => {
  const sim = useGitHubSimulator();
  const port = (options: { token?: string; secrets?: string[]; retries?: number } = {}) =>
    createGitHubPort({ repository: `${sim.owner}/${sim.repo}`, token: options.token ?? sim.token, baseUrl: sim.url, secrets: options.secrets, retries: options.retries, sleep: async () => undefined });

  it("keeps one comment per stack: parts created, then updated in place, extra parts deleted, other comments left alone", async () => {
    const github = port();
    const human = await github.createComment(5, "Looks good");
    const part = (stack: string, n: number, text: string) => `<!-- prefect-gitops:plan stack=${stack} part=${n} -->\n${text}`;
    await upsertStackComment(github, 5, "prod", [part("prod", 1, "a"), part("prod", 2, "b"), part("prod", 3, "c")]);
    await upsertStackComment(github, 5, "dev", [part("dev", 1, "dev")]);
    const firstIds = sim.commentsOf(5).map((comment) => comment.id);
    await upsertStackComment(github, 5, "prod", [part("prod", 1, "a2"), part("prod", 2, "b2")]);
    expect(sim.commentsOf(5).map((comment) => comment.body.split("\n").at(-1))).toEqual(["Looks good", "a2", "b2", "dev"]);
    expect(sim.commentsOf(5).map((comment) => comment.id)).toEqual([human, ...firstIds.slice(1, 3), firstIds[4]]);
  });

  it("masks the token and every known secret in what it sends", async () => {
    await port({ secrets: ["pnu_workspacekey123"] }).createIssue({ title: "key pnu_workspacekey123", body: `token ${sim.token} and pnu_workspacekey123`, labels: ["x"] });
    const sent = sim.bodies.at(-1)!;
    expect(sent).not.toContain("pnu_workspacekey123");
    expect(sent).not.toContain(sim.token);
    expect(sim.issues.at(-1)).toMatchObject({ title: "key ***", body: "token *** and ***" });
  });

  it("reports a terminal failure at once, without the token", async () => {
    const before = sim.log.length;
    const failure = await port({ token: "ghs_wrongtoken000" }).pullRequest(1).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(GitHubError);
    expect(failure).toMatchObject({ status: 401, retryable: false });
    expect((failure as Error).message).toMatch(/401[^]*Check GITHUB_TOKEN/);
    expect((failure as Error).message).not.toContain("ghs_wrongtoken000");
    expect(sim.log.length - before).toBe(1);
  });

  it("retries a 5xx, then reports it as retryable once out of attempts", async () => {
    sim.faults.push({ method: "GET", template: "/repos/{owner}/{repo}/issues", status: 503, times: 10 });
    const before = sim.log.length;
    const failure = await port({ retries: 2 }).openIssues("prefect-gitops-drift").catch((caught: unknown) => caught);
    expect(failure).toMatchObject({ status: 503, retryable: true });
    expect((failure as Error).message).toMatch(/after 3 attempts/);
    expect(sim.log.slice(before)).toEqual(Array(3).fill("GET /repos/{owner}/{repo}/issues -> 503"));
    sim.faults.length = 0;
  });

  it("answers 'none' for someone who is not a collaborator", async () => {
    sim.permissions.set("alice", "write");
    expect(await port().permission("alice")).toBe("write");
    expect(await port().permission("stranger")).toBe("none");
  });
});
