import { describe, expect, it } from "vitest";
import { ZChannelCreate, ZChannelUpdate } from "@/lib/oncall/schemas";
import { channelInput } from "./channel-input";

describe("channelInput", () => {
  it("builds what the API accepts for each type", () => {
    const f = { enabled: true, smtpSecure: false };
    expect(ZChannelCreate.parse(channelInput({ name: "h", type: "webhook", url: "https://x.test/h" }, f))).toMatchObject({ type: "webhook", url: "https://x.test/h" });
    expect(ZChannelCreate.parse(channelInput({ name: "s", type: "slack", channel: "#ops", botToken: "xoxb-1", slackSigningSecret: "sec" }, f))).toMatchObject({ botToken: "xoxb-1", signingSecret: "sec" });
    expect(ZChannelCreate.parse(channelInput({ name: "t", type: "teams", webhookUrl: "https://x.webhook.office.com/a" }, f))).toMatchObject({ type: "teams" });
    expect(ZChannelCreate.parse(channelInput({ name: "e", type: "email", to: "a@x.test, b@x.test\nc@x.test", smtpHost: "smtp.x.test", smtpPort: "465", smtpPassword: "pw" }, { enabled: false, smtpSecure: true }))).toMatchObject({
      enabled: false,
      to: ["a@x.test", "b@x.test", "c@x.test"],
      smtp: { host: "smtp.x.test", port: 465, secure: true, password: "pw" },
    });
    expect(ZChannelCreate.parse(channelInput({ name: "p", type: "pagerduty", routingKey: "R" }, f))).toMatchObject({ routingKey: "R" });
  });

  it("on an edit, empty credentials are left out (the stored ones stay) and rotation is asked for", () => {
    const input = channelInput({ name: "s", type: "slack", channel: "#ops", botToken: undefined }, { enabled: true, smtpSecure: false });
    expect(input).not.toHaveProperty("botToken");
    expect(ZChannelUpdate.parse(input)).toMatchObject({ channel: "#ops" });
    expect(ZChannelUpdate.parse(channelInput({ name: "h", type: "webhook", url: "https://x.test/h" }, { enabled: true, smtpSecure: false, rotate: true }))).toMatchObject({ rotateSigningSecret: true });
  });
});
