// Kind contexts for the provider's operations: each operation gets a fresh memo (the kinds memoize
// per-run reads such as a scoped deployment read under fixed keys, which must not answer the next
// batch), except for lookups that hold for the whole Terraform command: the block type catalog,
// read once per provider process instead of once per batch of blocks.
import { CATALOG_KEY } from "../../kinds/block/catalog.js";
import type { KindContext } from "../../kinds/kind.js";

const SHARED_KEYS: ReadonlySet<string> = new Set([CATALOG_KEY]);

/** `own` with the keys that hold for the whole process memoized in `shared`. */
export function sharedMemo(own: KindContext, shared: KindContext): KindContext {
  return {
    client: own.client,
    memo: (key, load) => (SHARED_KEYS.has(key) ? shared.memo(key, load) : own.memo(key, load)),
    forget: (keyPrefix) => {
      own.forget(keyPrefix);
      shared.forget(keyPrefix);
    },
  };
}
