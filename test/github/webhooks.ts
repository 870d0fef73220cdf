// Webhook payloads as GitHub sends them: taken from @octokit/webhooks-examples, adapted to the
// test's repository and pull request, checked against @octokit/openapi-webhooks after the
// change (so the adaptation cannot drift from GitHub's shape), and signed with
// @octokit/webhooks-methods the way GitHub signs deliveries (X-Hub-Signature-256).
import { createRequire } from "node:module";
import { sign, verify } from "@octokit/webhooks-methods";
import { githubContract } from "./openapi.js";

const require = createRequire(import.meta.url);

interface ExampleSet {
  name: string;
  examples: Record<string, unknown>[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- examples are free-form JSON; the schema check below is the type check
type Json = any;

/**
 * The examples of an event and action, newest shape first: some recorded examples predate
 * fields GitHub's description now requires, and `deliver` takes the first one that validates.
 */
function examples(event: string, action?: string): Json[] {
  const sets = require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleSet[];
  const all = sets.find((set) => set.name === event)?.examples ?? [];
  if (!all.length) throw new Error(`@octokit/webhooks-examples has no ${event} example`);
  // Then the event's other examples, turned into this action (the schema check decides if that holds).
  const ordered = [...all.filter((candidate) => candidate.action === action), ...all.filter((candidate) => candidate.action !== action)];
  return ordered.map((candidate) => ({ ...structuredClone(candidate), ...(action ? { action } : {}) }));
}

export interface Delivery {
  /** The event name (X-GitHub-Event). */
  event: string;
  payload: Json;
  /** The body as sent. */
  body: string;
  /** X-Hub-Signature-256 */
  signature: string;
}

export interface RepoFacts {
  owner: string;
  repo: string;
  defaultBranch: string;
}

function adaptRepository(payload: Json, facts: RepoFacts): void {
  payload.repository.name = facts.repo;
  payload.repository.full_name = `${facts.owner}/${facts.repo}`;
  payload.repository.owner.login = facts.owner;
  payload.repository.default_branch = facts.defaultBranch;
  // Repositories have carried has_discussions since 2022; examples recorded before lack it.
  payload.repository.has_discussions ??= false;
}

async function deliver(event: string, schemaName: string, candidates: Json[], adapt: (payload: Json) => void, secret: string): Promise<Delivery> {
  const failures: string[] = [];
  const payload = candidates.find((candidate) => {
    adapt(candidate);
    const problems = githubContract().webhook(schemaName, candidate);
    failures.push(...problems);
    return problems.length === 0;
  });
  if (!payload) throw new Error(`No ${schemaName} example fits GitHub's webhook description once adapted:\n${failures.join("\n")}`);
  const body = JSON.stringify(payload);
  const signature = await sign(secret, body);
  if (!(await verify(secret, body, signature))) throw new Error("the signature does not verify");
  return { event, payload, body, signature };
}

export function pullRequestEvent(facts: RepoFacts, pull: { number: number; action: "opened" | "synchronize"; headSha: string; author: string; fork: boolean }, secret: string): Promise<Delivery> {
  return deliver("pull_request", `pull-request-${pull.action}`, examples("pull_request", pull.action), (payload) => {
  adaptRepository(payload, facts);
  payload.number = pull.number;
  payload.pull_request.number = pull.number;
  payload.pull_request.head.sha = pull.headSha;
  payload.pull_request.user.login = pull.author;
  payload.pull_request.base.repo.full_name = `${facts.owner}/${facts.repo}`;
  if (payload.pull_request.head.repo) payload.pull_request.head.repo.full_name = pull.fork ? `${pull.author}/${facts.repo}` : `${facts.owner}/${facts.repo}`;
  payload.sender.login = pull.author;
  for (const side of [payload.pull_request.base, payload.pull_request.head]) if (side.repo) side.repo.has_discussions ??= false;
  if (pull.action === "synchronize") {
    payload.before ??= "0".repeat(40);
    payload.after = pull.headSha;
  }
  }, secret);
}

export function issueCommentEvent(facts: RepoFacts, comment: { number: number; body: string; author: string }, secret: string): Promise<Delivery> {
  return deliver("issue_comment", "issue-comment-created", examples("issue_comment", "created"), (payload) => {
  adaptRepository(payload, facts);
  payload.issue.number = comment.number;
  payload.issue.pull_request ??= { url: `https://api.github.com/repos/${facts.owner}/${facts.repo}/pulls/${comment.number}`, html_url: `https://github.com/${facts.owner}/${facts.repo}/pull/${comment.number}`, diff_url: `https://github.com/${facts.owner}/${facts.repo}/pull/${comment.number}.diff`, patch_url: `https://github.com/${facts.owner}/${facts.repo}/pull/${comment.number}.patch` };
  payload.comment.body = comment.body;
  payload.comment.user.login = comment.author;
  payload.sender.login = comment.author;
  }, secret);
}

export function pushEvent(facts: RepoFacts, push: { branch: string; after: string }, secret: string): Promise<Delivery> {
  return deliver("push", "push", examples("push"), (payload) => {
  adaptRepository(payload, facts);
  payload.ref = `refs/heads/${push.branch}`;
  payload.after = push.after;
  }, secret);
}
