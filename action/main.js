// The GitHub Action's entry point (action.yml, runs.using: node20): `prefect-gitops reconcile`
// with the action's inputs. GitHub passes inputs as INPUT_<NAME> variables; the token becomes
// GITHUB_TOKEN for the CLI, and every stack's connection comes from the step's `env:`.
// The CLI is loaded from the package's bin (the packaged build replaces this path).
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const input = (name, fallback) => process.env[`INPUT_${name.toUpperCase()}`]?.trim() || fallback;

const event = input("event", process.env.GITHUB_EVENT_NAME);
const token = input("github-token", process.env.GITHUB_TOKEN);
if (token) process.env.GITHUB_TOKEN = token;
const workdir = input("working-directory", ".");
process.chdir(workdir);

process.argv = [process.argv[0], "prefect-gitops", "reconcile", "--event", event];
const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "prefect-gitops.js");
await import(pathToFileURL(bin).href);
