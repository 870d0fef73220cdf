import { describe, expect, it } from "vitest";
import { parseListen, parseRepo } from "./serve.js";

describe("serve arguments", () => {
  it.each([
    [":8080", { host: "0.0.0.0", port: 8080 }],
    ["8080", { host: "0.0.0.0", port: 8080 }],
    ["127.0.0.1:0", { host: "127.0.0.1", port: 0 }],
    ["[::1]:9000", { host: "::1", port: 9000 }],
  ])("--listen %s", (text, expected) => expect(parseListen(text)).toEqual(expected));

  it.each(["", "localhost", ":99999", "a:b"])("refuses --listen %j with what it expects", (text) => {
    expect(() => parseListen(text)).toThrow(/expected PORT, :PORT or HOST:PORT/);
  });

  it.each([
    ["acme/prefect-config", { kind: "github", repository: "acme/prefect-config" }],
    ["https://git.example.com/acme/config.git", { kind: "git", url: "https://git.example.com/acme/config.git" }],
    ["git@git.example.com:acme/config.git", { kind: "git", url: "git@git.example.com:acme/config.git" }],
    ["./config", { kind: "git", url: "./config" }],
    ["/srv/config.git", { kind: "git", url: "/srv/config.git" }],
  ])("--repo %s", (text, expected) => expect(parseRepo(text)).toEqual(expected));

  it("refuses a --repo that is neither, saying what each form looks like", () => {
    expect(() => parseRepo("config")).toThrow(/neither a GitHub repository \(OWNER\/NAME\) nor a git remote/);
  });
});
