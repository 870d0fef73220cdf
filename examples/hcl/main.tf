# The quickstart stack written as plain Terraform for the official prefecthq/prefect provider.
# `prefect-gitops apply` and `terraform apply` with that provider read the same file, and it
# declares nothing that provider is known to refuse (provider/terraform/official-refusals.ts).
terraform {
  required_providers {
    prefect = {
      source = "prefecthq/prefect"
    }
  }
}

# The connection comes from the environment (PREFECT_API_URL, PREFECT_API_KEY) unless set here.
provider "prefect" {}

# A secret: no default (it would be written here in clear text); give it when the plan runs.
variable "slack_webhook_url" {
  description = "Where failure notifications go (set TF_VAR_slack_webhook_url)."
  type        = string
  sensitive   = true
}

locals {
  team = "data-platform"
}

resource "prefect_work_pool" "etl" {
  name        = "etl-pool"
  type        = "process"
  description = "Workers for the ${local.team} ETL flows"
  base_job_template = jsonencode({
    job_configuration = {
      command = "{{ command }}"
      env     = "{{ env }}"
    }
    variables = {
      properties = {
        command = { type = "string", default = "" }
        env     = { type = "object", default = {} }
      }
    }
  })
}

# Prefect makes the pool with a `default` queue at priority 1 (runs that name no queue go there).
# It is not declared: the official provider creates every declared queue, and Prefect refuses a
# second `default`. Workers poll by priority, 1 first; these queues come after it, so Terraform
# may create them in any order without Prefect renumbering one.
resource "prefect_work_queue" "standard" {
  name           = "standard"
  work_pool_name = prefect_work_pool.etl.name
  priority       = 2
}

resource "prefect_work_queue" "critical" {
  name              = "critical"
  work_pool_name    = prefect_work_pool.etl.name
  priority          = 3
  concurrency_limit = 5
}

resource "prefect_flow" "etl" {
  name = "etl"
  tags = [local.team]
}

resource "prefect_deployment" "nightly" {
  name            = "nightly"
  flow_id         = prefect_flow.etl.id
  work_pool_name  = prefect_work_pool.etl.name
  work_queue_name = prefect_work_queue.standard.name
  entrypoint      = "flows/etl.py:etl"
  tags            = ["nightly"]
  parameters = jsonencode({
    source = "s3://raw/events"
    full   = false
  })
}

resource "prefect_deployment" "backfill" {
  name              = "backfill"
  flow_id           = prefect_flow.etl.id
  work_pool_name    = prefect_work_pool.etl.name
  work_queue_name   = prefect_work_queue.critical.name
  entrypoint        = "flows/etl.py:etl"
  concurrency_limit = 1
  parameters = jsonencode({
    source = "s3://raw/events"
    full   = true
  })
}

resource "prefect_deployment_schedule" "nightly" {
  deployment_id = prefect_deployment.nightly.id
  cron          = "0 2 * * *"
  timezone      = "Europe/Paris"
}

resource "prefect_deployment_schedule" "backfill_hourly" {
  deployment_id = prefect_deployment.backfill.id
  interval      = 3600
  active        = false
}

resource "prefect_block" "slack" {
  name      = "etl-alerts"
  type_slug = "secret"
  data      = jsonencode({ value = var.slack_webhook_url })
}

resource "prefect_variable" "retention_days" {
  name  = "etl_retention_days"
  value = 30
}

resource "prefect_global_concurrency_limit" "warehouse" {
  name  = "warehouse-connections"
  limit = 10
}

# When a nightly run fails or crashes, start the backfill.
resource "prefect_automation" "backfill_on_failure" {
  name        = "backfill-when-nightly-fails"
  description = "Run the backfill deployment when the nightly one fails"
  trigger = {
    event = {
      posture = "Reactive"
      expect  = ["prefect.flow-run.Failed", "prefect.flow-run.Crashed"]
      match_related = jsonencode({
        "prefect.resource.id"   = "prefect.deployment.${prefect_deployment.nightly.id}"
        "prefect.resource.role" = "deployment"
      })
      threshold = 1
      within    = 0
    }
  }
  actions = [
    {
      type          = "run-deployment"
      source        = "selected"
      deployment_id = prefect_deployment.backfill.id
      parameters    = jsonencode({ full = true })
    }
  ]
}
