#!/usr/bin/env node
// The `prefect-gitops-devserver` command (bin/load.js: compiled code when installed, sources in a checkout).
import { load } from "./load.js";

await load("devserver/cli");
