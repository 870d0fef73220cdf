// prefect-gitops.yaml of the GitOps suites: one stack `dev` in stacks/dev, its connection in
// PREFECT_DEV_API_URL and PREFECT_DEV_API_KEY; `extra` adds keys to the stack (4-space indent).
export function devStackYaml(extra = ""): string {
  return `version: 1
stacks:
  - name: dev
    path: stacks/dev
    workspace:
      api_url_env: PREFECT_DEV_API_URL
      api_key_env: PREFECT_DEV_API_KEY
${extra}`;
}
