#!/usr/bin/env node
// The `prefect-gitops` command (bin/load.js: compiled code when installed, sources in a checkout).
import { load } from "./load.js";

const { runCli } = await load("reconciler/cli");
await runCli();
