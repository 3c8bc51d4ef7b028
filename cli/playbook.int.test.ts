// The signing CLI against openssl (same format as cosign sign-blob) and the org's trusted keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { makeActor, makeOrg } from "@/test/factories";
import { revokeSigningKey } from "@/lib/playbooks/signing-keys";
import { playbookYaml } from "@/test/playbook-fixtures";

let dir: string;
const f = (name: string) => path.join(dir, name);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], { encoding: "utf8", env: process.env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: r.stdout.trim().split("\n").at(-1) ?? "" };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "nops-cli-"));
  execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("key.pem")]);
  execFileSync("openssl", ["ec", "-in", f("key.pem"), "-pubout", "-out", f("pub.pem")], { stdio: "ignore" });
  writeFileSync(f("restart.yaml"), playbookYaml("cli-restart", "medium", [{ id: "w", action: "wait", with: { duration: "1s" } }]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each CLI start compiles the CLI with tsx (several seconds on a busy 2-core machine): these get minutes, not 30 s.
describe("npm run cli -- playbook sign|verify", { timeout: 180_000 }, () => {
  it("our signature verifies with openssl dgst -sha256 -verify", () => {
    const out = cli("playbook", "sign", f("restart.yaml"), "--key", f("key.pem"));
    expect(out.code).toBe(0);
    expect(out.last).toMatch(/^[A-Za-z0-9+/]+=*$/);
    writeFileSync(f("ours.sig"), out.last + "\n");
    writeFileSync(f("ours.der"), Buffer.from(out.last, "base64"));
    const verified = execFileSync("openssl", ["dgst", "-sha256", "-verify", f("pub.pem"), "-signature", f("ours.der"), f("restart.yaml")], { encoding: "utf8" });
    expect(verified.trim()).toBe("Verified OK");
    expect(cli("playbook", "verify", f("restart.yaml"), "--sig", f("ours.sig"), "--pub", f("pub.pem")).code).toBe(0);
  });

  it("an openssl signature verifies with ours; other bytes or another key do not", () => {
    const der = execFileSync("openssl", ["dgst", "-sha256", "-sign", f("key.pem"), f("restart.yaml")]);
    writeFileSync(f("openssl.sig"), der.toString("base64"));
    expect(cli("playbook", "verify", f("restart.yaml"), "--sig", f("openssl.sig"), "--pub", f("pub.pem")).code).toBe(0);

    writeFileSync(f("tampered.yaml"), readFileSync(f("restart.yaml"), "utf8").replace("1s", "2s"));
    const tampered = cli("playbook", "verify", f("tampered.yaml"), "--sig", f("openssl.sig"), "--pub", f("pub.pem"));
    expect(tampered.code).toBe(1);
    expect(tampered.last).toBe("Verification failure");

    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("other.pem")]);
    execFileSync("openssl", ["ec", "-in", f("other.pem"), "-pubout", "-out", f("other.pub.pem")], { stdio: "ignore" });
    expect(cli("playbook", "verify", f("restart.yaml"), "--sig", f("openssl.sig"), "--pub", f("other.pub.pem")).code).toBe(1);
  });

  it("by default verifies against the org's trusted keys; a revoked key fails", async () => {
    const org = await makeOrg("cli");
    const sig = cli("playbook", "sign", f("restart.yaml"), "--key", f("key.pem")).last;
    writeFileSync(f("trusted.sig"), sig);
    expect(cli("playbook", "verify", f("restart.yaml"), "--sig", f("trusted.sig"), "--org", org.slug).code).toBe(1);
    const added = cli("key", "add", "--name", "release", "--pub", f("pub.pem"), "--org", org.slug);
    expect(added.code).toBe(0);
    const ok = cli("playbook", "verify", f("restart.yaml"), "--sig", f("trusted.sig"), "--org", org.slug);
    expect(ok.code).toBe(0);
    expect(ok.last).toMatch(/Verified OK \(key release/);

    const key = await db.signingKey.findFirstOrThrow({ where: { orgId: org.id } });
    await revokeSigningKey({ actor: await makeActor(org.id, "admin"), id: key.id, reason: "rotated" });
    const revoked = cli("playbook", "verify", f("restart.yaml"), "--sig", f("trusted.sig"), "--org", org.slug);
    expect(revoked.code).toBe(1);
    expect(revoked.last).toMatch(/revoked/);
  });

  it("playbook sync stores versions content-addressed and refuses changed bytes under the same version", async () => {
    const org = await makeOrg("sync");
    const catalog = mkdtempSync(path.join(dir, "catalog-"));
    const file = path.join(catalog, "restart.yaml");
    writeFileSync(file, readFileSync(f("restart.yaml")));
    const first = cli("playbook", "sync", "--org", org.slug, "--dir", catalog);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\+ restart\.yaml: cli-restart v1/);
    expect(cli("playbook", "sync", "--org", org.slug, "--dir", catalog).stdout).toMatch(/= restart\.yaml/);
    writeFileSync(file, readFileSync(file, "utf8").replace("1s", "3s"));
    const changed = cli("playbook", "sync", "--org", org.slug, "--dir", catalog);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/✗ restart\.yaml: .*bump version/);
    expect(await db.playbookVersion.count({ where: { orgId: org.id } })).toBe(1);
  });
});
