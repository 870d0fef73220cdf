// The order of kinds within a wave (and, reversed, of deletions): the registry's one kind order,
// each kind after the kinds its attributes refer to (provider/kinds/order.ts).
import { KIND_ORDER } from "../../provider/kinds/registry.js";

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
