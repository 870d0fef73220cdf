// The order of kinds within a wave (and, reversed, of deletions): the registry's one kind order,
// each kind after the kinds its attributes refer to (provider/kinds/order.ts).
import { KIND_ORDER } from "../../provider/kinds/registry.js";

/** The order `localeCompare` gives, without building a collator per comparison (a plan sorts thousands of addresses). */
const addressCollator = new Intl.Collator();

/** Order within a wave: the architecture's kind order, then address. */
export function kindOrder(typeOf: (address: string) => string | undefined) {
  const rank = (address: string) => {
    const index = KIND_ORDER.indexOf(typeOf(address) ?? "");
    return index < 0 ? KIND_ORDER.length : index;
  };
  return (a: string, b: string): number => rank(a) - rank(b) || addressCollator.compare(a, b);
}
