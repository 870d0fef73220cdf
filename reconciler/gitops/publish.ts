// Publishing a stack's comment on a pull request: one comment (in parts) per stack, found again
// by its marker and updated in place.
import { type GitHubPort } from "../git/github.js";
import { parseCommentMarker } from "./comment.js";

/** Keep one comment (in parts) per pull request and stack: update ours in place, add missing parts, delete extra ones. */
export async function upsertStackComment(github: GitHubPort, issue: number, stack: string, parts: string[]): Promise<void> {
  const ours = new Map<number, number>();
  for (const comment of await github.comments(issue)) {
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
