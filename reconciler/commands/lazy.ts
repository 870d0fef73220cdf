// Every command, loaded when it runs: `--help`, `--version` and each command load only what they
// need (the engine, the HTTP client, the HCL parser and the devserver are large). A new command
// is added here, with its module, and imported by cli.ts from here.
import type * as Drift from "./drift.js";
import type * as Import from "./import.js";
import type * as ImportAll from "./import-all.js";
import type * as Init from "./init.js";
import type * as Output from "./output.js";
import type * as Plan from "./plan.js";
import type * as Quickstart from "./quickstart.js";
import type * as Reconcile from "./reconcile.js";
import type * as Serve from "./serve.js";
import type * as State from "./state.js";
import type * as Validate from "./validate.js";

export const validateCommand: typeof Validate.validateCommand = async (...args) => (await import("./validate.js")).validateCommand(...args);
export const planCommand: typeof Plan.planCommand = async (...args) => (await import("./plan.js")).planCommand(...args);
export const applyCommand: typeof Plan.applyCommand = async (...args) => (await import("./plan.js")).applyCommand(...args);
export const driftCommand: typeof Drift.driftCommand = async (...args) => (await import("./drift.js")).driftCommand(...args);
export const importCommand: typeof Import.importCommand = async (...args) => (await import("./import.js")).importCommand(...args);
export const importAllCommand: typeof ImportAll.importAllCommand = async (...args) => (await import("./import-all.js")).importAllCommand(...args);
export const outputCommand: typeof Output.outputCommand = async (...args) => (await import("./output.js")).outputCommand(...args);
export const stateCommand: typeof State.stateCommand = async (...args) => (await import("./state.js")).stateCommand(...args);
export const quickstartCommand: typeof Quickstart.quickstartCommand = async (...args) => (await import("./quickstart.js")).quickstartCommand(...args);
export const initCommand: typeof Init.initCommand = async (...args) => (await import("./init.js")).initCommand(...args);
export const reconcileCommand: typeof Reconcile.reconcileCommand = async (...args) => (await import("./reconcile.js")).reconcileCommand(...args);
export const serveCommand: typeof Serve.serveCommand = async (...args) => (await import("./serve.js")).serveCommand(...args);
