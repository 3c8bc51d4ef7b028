import { describe, expect, it } from "vitest";
import { freshSlackTimestamp, slackSignature, slackSignatureMatches } from "@/lib/oncall/slack-signature";

describe("Slack request signatures", () => {
  // The worked example of Slack's "Verifying requests from Slack" page.
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const timestamp = "1531420618";
  const body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

  it("matches the documented example", () => {
    expect(slackSignature(secret, timestamp, body)).toBe("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    expect(slackSignatureMatches(secret, timestamp, body, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")).toBe(true);
  });

  it("refuses another secret, another body, a truncated or missing signature", () => {
    const good = slackSignature(secret, timestamp, body);
    expect(slackSignatureMatches("another-secret", timestamp, body, good)).toBe(false);
    expect(slackSignatureMatches(secret, timestamp, `${body}&x=1`, good)).toBe(false);
    expect(slackSignatureMatches(secret, String(Number(timestamp) + 1), body, good)).toBe(false);
    expect(slackSignatureMatches(secret, timestamp, body, good.slice(0, -1))).toBe(false);
    expect(slackSignatureMatches(secret, timestamp, body, null)).toBe(false);
  });

  it("accepts timestamps within five minutes of now, in either direction", () => {
    const now = new Date(1_700_000_000_000);
    expect(freshSlackTimestamp("1700000000", now)).toBe(true);
    expect(freshSlackTimestamp("1699999700", now)).toBe(true);
    expect(freshSlackTimestamp("1699999699", now)).toBe(false);
    expect(freshSlackTimestamp("1700000301", now)).toBe(false);
    expect(freshSlackTimestamp("17e8", now)).toBe(false);
    expect(freshSlackTimestamp(null, now)).toBe(false);
  });
});
