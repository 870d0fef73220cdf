import { expect, it } from "vitest";
import { DeliveryLog } from "./deliveries.js";

it("acts on a delivery once and forgets the oldest past its capacity", () => {
  const log = new DeliveryLog(2);
  expect([log.firstTime("a"), log.firstTime("a"), log.firstTime("b"), log.firstTime("c"), log.firstTime("a"), log.firstTime("c")]).toEqual([true, false, true, true, true, false]);
});
