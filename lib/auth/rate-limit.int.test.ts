import { describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { authOptions } from "@/lib/auth/options";
import { PEER_HEADER } from "@/lib/auth/client-ip";
import { createMember } from "@/lib/users/create-member";
import { systemActor } from "@/lib/context";
import { env } from "@/lib/env";
import { makeOrg } from "@/test/factories";

// A small budget keeps the file fast (every refused-or-checked attempt costs an scrypt); the rules scale with it.
vi.hoisted(() => {
  process.env.LOGIN_MAX_ATTEMPTS = "3";
});

const PASSWORD = "a long enough password";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Distinct addresses per test: the per-address counters live in this run's Redis prefix for the whole file.
const ipOf = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function user() {
  const org = await makeOrg("throttle");
  const email = `u-${randomBytes(4).toString("hex")}@test.local`;
  await createMember({ actor: systemActor("test", org.id), input: { email, name: "U", role: "viewer", password: PASSWORD } });
  return email;
}

/** The next-auth credentials authorize() as the web route calls it, with the request's headers. */
type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

describe("login throttling", () => {
  const free = () => env().LOGIN_MAX_ATTEMPTS;

  it("counts failures only: many successful logins from one address never lock it", async () => {
    const [a, b] = [await user(), await user()];
    const ip = ipOf();
    const cap = free() * 5; // the per-address cap
    for (let i = 0; i <= cap; i++) expect(await verifyCredentials({ email: a, password: PASSWORD }, ip), `login ${i}`).not.toBeNull();
    expect(await verifyCredentials({ email: b, password: PASSWORD }, ip)).not.toBeNull();
  }, 60_000);

  it("failures from one address do not block the right password from another address", async () => {
    const email = await user();
    const attacker = ipOf();
    for (let i = 0; i < free() + 2; i++) await verifyCredentials({ email, password: "wrong" }, attacker).catch(() => null);
    expect(await verifyCredentials({ email, password: PASSWORD }, ipOf())).not.toBeNull();
  });

  it("after the free failures, each further attempt from that address waits a doubling delay, even with the right password", async () => {
    const email = await user();
    const ip = ipOf();
    for (let i = 0; i < free(); i++) expect(await verifyCredentials({ email, password: "wrong" }, ip)).toBeNull();
    // Refused without checking the password, with the wait in the error.
    const refused = await verifyCredentials({ email, password: PASSWORD }, ip).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "rate_limited", details: { retryAfterSeconds: 1 } });
    expect(String((refused as Error).message)).toMatch(/try again in 1 s/);
    await sleep(1_100);
    // One more failure after the wait: the next wait doubles.
    const failedAt = Date.now();
    expect(await verifyCredentials({ email, password: "wrong" }, ip)).toBeNull();
    const doubled = (await verifyCredentials({ email, password: PASSWORD }, ip).catch((e: unknown) => e)) as { details?: { retryAfterSeconds?: number } };
    // The 2 s wait counts from the failed attempt; on a busy machine the password check itself eats into it.
    const elapsed = Date.now() - failedAt;
    if (elapsed < 2_000) expect(doubled).toMatchObject({ code: "rate_limited" });
    const wait = doubled.details?.retryAfterSeconds ?? 0;
    expect(wait).toBeLessThanOrEqual(2);
    expect(wait).toBeGreaterThanOrEqual(Math.ceil((2_000 - elapsed) / 1000));
    await sleep(2_100);
    // The right password after the wait works, and clears the account's delay for that address.
    expect(await verifyCredentials({ email, password: PASSWORD }, ip)).not.toBeNull();
    expect(await verifyCredentials({ email, password: "wrong" }, ip)).toBeNull();
    expect(await verifyCredentials({ email, password: PASSWORD }, ip)).not.toBeNull();
  }, 30_000);

  it("concurrent guesses cannot slip past the delay: at most the free failures are checked", async () => {
    const email = await user();
    const ip = ipOf();
    const results = await Promise.all(
      Array.from({ length: free() * 3 }, () => verifyCredentials({ email, password: "wrong" }, ip).then(() => "checked", (e: { code?: string }) => e.code)),
    );
    expect(results.filter((r) => r === "checked").length).toBeLessThanOrEqual(free() + 1);
    expect(results.filter((r) => r === "rate_limited").length).toBeGreaterThanOrEqual(free() * 2 - 1);
  }, 60_000);

  it("caps failures per address across accounts (spraying), and a client-set X-Forwarded-For does not reset the cap", async () => {
    const victim = await user();
    const peer = ipOf();
    const cap = free() * 5;
    // No trusted proxy is configured: X-Forwarded-For is the client's own claim, a new one on every request.
    for (let i = 0; i < cap; i++) {
      const headers = { [PEER_HEADER]: peer, "x-forwarded-for": ipOf() };
      expect(await authorize({ email: `nobody-${i}@test.local`, password: "guess" }, { headers })).toBeNull();
    }
    const headers = { [PEER_HEADER]: peer, "x-forwarded-for": ipOf() };
    await expect(authorize({ email: victim, password: PASSWORD }, { headers })).rejects.toThrow(/^RateLimited:\d+$/);
    // Another address is unaffected.
    expect(await authorize({ email: victim, password: PASSWORD }, { headers: { [PEER_HEADER]: ipOf() } })).toMatchObject({ email: victim });
  }, 60_000);
});
