// A small ResourceProvider for the protocol tests: the real schema export (every kind, nested
// attributes of each nesting mode), its own tiny validation rules, and plan/apply/read that
// record what they were given, so a test can see exactly what crossed the protocol.
import { KIND_SCHEMAS } from "../../../kinds/schemas.js";
import { providerSchemaJson } from "../../schema-export.js";
import { UNKNOWN, type ResourceProvider, type TfDiagnostic, type TfObject } from "../contract.js";

/** Rules the protocol tests rely on; the real rules are the kinds'. */
function validate(typeName: string, config: TfObject): TfDiagnostic[] {
  const diagnostics: TfDiagnostic[] = [];
  if (typeName === "prefect_work_pool" && typeof config.name === "string" && config.name.toLowerCase().startsWith("prefect")) {
    diagnostics.push({ severity: "error", summary: "Reserved work pool name", detail: `"${config.name}" starts with "prefect"`, attribute: ["name"] });
  }
  if (typeName === "prefect_deployment" && Array.isArray(config.pull_steps)) {
    config.pull_steps.forEach((step, i) => {
      if (step && typeof step === "object" && !Array.isArray(step) && step.type === "bad") {
        diagnostics.push({ severity: "warning", summary: "Bad pull step", attribute: ["pull_steps", i, "type"] });
      }
    });
  }
  return diagnostics;
}

export function createTestProvider(): ResourceProvider {
  let configured: TfObject | undefined;
  return {
    schemas: () => providerSchemaJson(KIND_SCHEMAS),
    validateProviderConfig: () => [],
    configure: async (config) => {
      configured = config;
      return [];
    },
    validateResourceConfig: validate,
    validateDataSourceConfig: () => [],
    planResource: async (_type, request) => ({
      planned: request.proposed ? { ...request.proposed, id: request.prior?.id ?? UNKNOWN } : null,
      requiresReplace: request.prior && request.proposed && request.prior.name !== request.proposed.name ? [["name"]] : [],
      diagnostics: configured ? [] : [{ severity: "error", summary: "not configured" }],
    }),
    applyResource: async (_type, request) => ({ state: request.planned ? { ...request.planned, id: "00000000-0000-0000-0000-000000000001" } : null, diagnostics: [] }),
    readResource: async (_type, state) => ({ state, diagnostics: [] }),
    importResource: async () => ({ states: [], diagnostics: [{ severity: "error", summary: "import is not part of the test provider" }] }),
    upgradeResource: async () => ({ state: null, diagnostics: [] }),
    readDataSource: async () => ({ state: null, diagnostics: [] }),
    stop: async () => {},
  };
}
