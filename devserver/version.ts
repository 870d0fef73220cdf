/** The Prefect server version the devserver answers as, and its own identity. */
export const DEVSERVER_VERSION_INFO = {
  prefect_version: "3.8.4",
  api_version: "0.8.4",
  server: "prefect-gitops-devserver",
} as const;
