# The prod workspace, as plain Terraform: prefect-gitops reads .tf files without a Terraform
# binary, and the official prefecthq/prefect provider reads them too.
provider "prefect" {}

resource "prefect_work_pool" "pool" {
  name = "prod-pool"
  type = "process"
}

resource "prefect_flow" "etl" {
  name = "etl"
}

resource "prefect_deployment" "nightly" {
  name           = "nightly"
  flow_id        = prefect_flow.etl.id
  work_pool_name = prefect_work_pool.pool.name
  entrypoint     = "flows/etl.py:etl"
  parameters = jsonencode({
    source = "s3://raw/events"
  })
}

resource "prefect_deployment_schedule" "nightly" {
  deployment_id = prefect_deployment.nightly.id
  cron          = "0 2 * * *"
  timezone      = "UTC"
}

resource "prefect_variable" "retention" {
  name  = "retention_days"
  value = 30
}
