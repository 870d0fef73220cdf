# Your Prefect workspace, declared once. `npx prefect-gitops plan` shows what would change,
# `npx prefect-gitops apply` makes the workspace match. Terraform with the official
# prefecthq/prefect provider reads this file too.
terraform {
  required_providers {
    prefect = {
      source = "prefecthq/prefect"
    }
  }
}

# The connection comes from PREFECT_API_URL and PREFECT_API_KEY, as for the Prefect CLI.
provider "prefect" {}

# Workers started with `prefect worker start --pool default-pool` run this pool's flow runs.
resource "prefect_work_pool" "pool" {
  name = "default-pool"
  type = "process"
}

# Prefect gives every pool a `default` queue; this one comes after it.
resource "prefect_work_queue" "scheduled" {
  name           = "scheduled"
  work_pool_name = prefect_work_pool.pool.name
  priority       = 2
}

resource "prefect_flow" "hello" {
  name = "hello"
}

# The code lives in flows/hello.py (function `hello`) of the repository the workers pull.
resource "prefect_deployment" "daily" {
  name            = "daily"
  flow_id         = prefect_flow.hello.id
  work_pool_name  = prefect_work_pool.pool.name
  work_queue_name = prefect_work_queue.scheduled.name
  entrypoint      = "flows/hello.py:hello"
  parameters      = jsonencode({ name = "world" })
}

resource "prefect_deployment_schedule" "every_morning" {
  deployment_id = prefect_deployment.daily.id
  cron          = "0 6 * * *"
  timezone      = "UTC"
  slug          = "every-morning"
}

# When a daily run fails, try once more.
resource "prefect_automation" "retry_on_failure" {
  name = "retry-daily-on-failure"
  trigger = {
    event = {
      posture = "Reactive"
      expect  = ["prefect.flow-run.Failed"]
      match_related = jsonencode({
        "prefect.resource.id"   = "prefect.deployment.${prefect_deployment.daily.id}"
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
      deployment_id = prefect_deployment.daily.id
    }
  ]
}
