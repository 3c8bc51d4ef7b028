// The agent image is one esbuild bundle of agent/main.ts (agent/Dockerfile). It must stay free of the
// control plane: no database client, no queue, no Next — a customer cluster runs this code.
import { describe, expect, it } from "vitest";
import { build } from "esbuild";

describe("agent bundle", () => {
  it("bundles agent/main.ts without the control plane's database, queue or web code", async () => {
    const result = await build({
      entryPoints: ["agent/main.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("agent/main.ts");
    expect(inputs).toContain("lib/agents/protocol.ts");
    const forbidden = inputs.filter((p) => /(^|\/)(@prisma|prisma|bullmq|ioredis|next|pg)\/|^lib\/(db|redis|generated|jobs)|^app\//.test(p));
    expect(forbidden).toEqual([]);
  });
});
