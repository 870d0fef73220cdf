// The order of kinds within a wave (and, reversed, of deletions): the one place the engine
// takes it from, so that it can come from the kind registry in one line.
const KIND_ORDER = [
  "prefect_work_pool",
  "prefect_work_queue",
  "prefect_flow",
  "prefect_block",
  "prefect_variable",
  "prefect_global_concurrency_limit",
  "prefect_deployment",
  "prefect_deployment_schedule",
  "prefect_automation",
  "prefect_webhook",
];

/** Order within a wave: the architecture's kind order, then address. */
export function kindOrder(typeOf: (address: string) => string | undefined) {
  return (a: string, b: string): number => {
    const rank = (address: string) => {
      const index = KIND_ORDER.indexOf(typeOf(address) ?? "");
      return index < 0 ? KIND_ORDER.length : index;
    };
    return rank(a) - rank(b) || a.localeCompare(b);
  };
}
