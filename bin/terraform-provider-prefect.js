#!/usr/bin/env node
// Terraform starts this as a plugin (protocol 6). Runs the TypeScript sources through tsx's
// loader: the package ships sources, not a build.
import { register } from "tsx/esm/api";

register();
await import("../provider/terraform/plugin/main.ts");
