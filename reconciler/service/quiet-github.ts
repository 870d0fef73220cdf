// The GitHub port of a service watching a plain git remote (`serve --repo GIT_URL`): there are no
// pull requests, comments, check runs or issues to publish to, so the service reports through
// its logs, /status and /metrics only. Reads answer "nothing there"; writes go nowhere.
import type { GitHubPort } from "../git/github.js";
import { GitHubError } from "../git/github.js";

export function quietGitHub(): GitHubPort {
  const noPullRequests = async (): Promise<never> => {
    throw new GitHubError("A plain git remote has no pull requests: serve --repo OWNER/NAME plans them.", 404, false);
  };
  return {
    pullRequest: noPullRequests,
    permission: async () => "none",
    comments: async () => [],
    createComment: async () => 0,
    updateComment: async () => undefined,
    deleteComment: async () => undefined,
    createCheckRun: async () => undefined,
    setStatus: async () => undefined,
    pullsOfCommit: async () => [],
    openIssues: async () => [],
    createIssue: async () => 0,
    updateIssue: async () => undefined,
  };
}
