import { expect, test } from "vitest";
import { maskSecrets } from "./mask.js";

test.each([
  ["masks every occurrence", "key pnu_secret1 and pnu_secret1", ["pnu_secret1"], "key *** and ***"],
  ["masks the longer secret first when one contains another", "token ghp_abcdefXYZ", ["ghp_abcdef", "ghp_abcdefXYZ"], "token ***"],
  ["leaves short values alone (they would garble the text, not protect it)", "a 1 b", ["1", undefined], "a 1 b"],
  ["leaves text without secrets unchanged", "nothing here", ["pnu_secret1"], "nothing here"],
])("%s", (_name, text, secrets, expected) => {
  expect(maskSecrets(text, secrets)).toBe(expected);
});
