import { describe, expect, it } from "vitest";
import { isGranted, orgSecrets, ZSecretGrants } from "@/lib/secrets/grants";
import { SecretError, type SecretProvider } from "@/lib/secrets/providers";

describe("secret grants", () => {
  it.each([
    ["SLACK_WEBHOOK_URL", ["SLACK_WEBHOOK_URL"], true],
    ["slack/webhook#url", ["slack/webhook"], true],
    ["slack/webhook#url", ["slack/*"], true],
    ["slack-bot/token", ["slack/*"], false],
    ["SLACK_WEBHOOK_URL", ["slack_webhook_url"], false],
    ["anything/at#all", ["*"], true],
    ["x", [], false],
    ["slack/webhook2", ["slack/webhook"], false],
  ] as const)("%s with %j → %s", (name, grants, expected) => {
    expect(isGranted(name, grants)).toBe(expected);
  });

  it("validates and normalizes the list", () => {
    expect(ZSecretGrants.parse(["b", "a", "b", " slack/* "])).toEqual(["a", "b", "slack/*"]);
    for (const bad of ["a*b", "a b", "../x*", "**", ""]) expect(ZSecretGrants.safeParse([bad]).success, bad).toBe(false);
  });

  it("an ungranted name is refused before the provider is asked; a granted one is read in the org's namespace", async () => {
    const calls: Array<[string, string]> = [];
    const provider: SecretProvider = { name: "fake", get: async (name, { org }) => (calls.push([name, org]), "v") };
    const secrets = orgSecrets(provider, { slug: "acme", secretGrants: ["TOKEN"] });
    const e = await secrets.get("OTHER").catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SecretError);
    expect((e as SecretError).code).toBe("not_granted");
    expect(await secrets.get("TOKEN")).toBe("v");
    expect(calls).toEqual([["TOKEN", "acme"]]);
  });
});
