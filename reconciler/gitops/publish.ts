// Publishing a stack's comment on a pull request: one comment (in parts) per stack, found again
// by its marker and updated in place.
import { type GitHubPort, type IssueComment } from "../git/github.js";
import { parseCommentMarker } from "./comment.js";

/** The comments of a pull request (or issue), as upsertStackComment reads them. */
export type CommentLister = (issue: number) => Promise<IssueComment[]>;

/**
 * Each pull request's comments listed once for a whole reconcile, not once per stack: a stack
 * only touches the comments carrying its own marker, so what another stack wrote meanwhile does
 * not matter to it. A listing that failed is asked for again by the next stack.
 */
export function listOncePerIssue(github: GitHubPort): CommentLister {
  const listed = new Map<number, Promise<IssueComment[]>>();
  return (issue) => {
    let comments = listed.get(issue);
    if (!comments) {
      comments = github.comments(issue);
      listed.set(issue, comments);
      comments.catch(() => listed.delete(issue));
    }
    return comments;
  };
}

/** Keep one comment (in parts) per pull request and stack: update ours in place, add missing parts, delete extra ones. */
export async function upsertStackComment(github: GitHubPort, issue: number, stack: string, parts: string[], listComments: CommentLister = (number) => github.comments(number)): Promise<void> {
  const ours = new Map<number, number>();
  for (const comment of await listComments(issue)) {
    const marker = parseCommentMarker(comment.body);
    if (marker?.stack === stack && !ours.has(marker.part)) ours.set(marker.part, comment.id);
  }
  for (const [index, body] of parts.entries()) {
    const id = ours.get(index + 1);
    if (id === undefined) await github.createComment(issue, body);
    else await github.updateComment(id, body);
  }
  for (const [part, id] of ours) if (part > parts.length) await github.deleteComment(id);
}
