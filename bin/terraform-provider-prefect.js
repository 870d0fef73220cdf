#!/usr/bin/env node
// Terraform starts this as a plugin (protocol 6); bin/load.js: compiled code when installed, sources in a checkout.
import { load } from "./load.js";

await load("provider/terraform/plugin/main");
