import { describe, expect, it } from "vitest";
import { loginRefusalStatus, retryAfterFromError } from "@/lib/auth/login-response";

const json = (url: string, status = 401) =>
  new Response(JSON.stringify({ url }), { status, headers: { "content-type": "application/json", "set-cookie": "a=b; Path=/" } });

describe("the credentials callback's answer to a throttled login", () => {
  it("becomes 429 with Retry-After, keeping the body next-auth's client reads", async () => {
    const res = await loginRefusalStatus(json("http://localhost:3000/api/auth/error?error=RateLimited%3A42"));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("42");
    expect(res.headers.get("set-cookie")).toBe("a=b; Path=/");
    expect(await res.json()).toEqual({ url: "http://localhost:3000/api/auth/error?error=RateLimited%3A42" });
  });

  it("leaves every other answer alone", async () => {
    const wrong = json("http://localhost:3000/api/auth/error?error=CredentialsSignin&provider=credentials");
    expect(await loginRefusalStatus(wrong)).toBe(wrong);
    const ok = json("http://localhost:3000/", 200);
    expect(await loginRefusalStatus(ok)).toBe(ok);
    const redirect = new Response(null, { status: 302, headers: { location: "/api/auth/error?error=RateLimited%3A5" } });
    expect((await loginRefusalStatus(redirect)).status).toBe(302); // a plain form post still lands on the login page
  });

  it("reads the wait from the error code", () => {
    expect(retryAfterFromError("RateLimited:17")).toBe(17);
    expect(retryAfterFromError("RateLimited")).toBeUndefined();
    expect(retryAfterFromError("CredentialsSignin")).toBeUndefined();
    expect(retryAfterFromError(undefined)).toBeUndefined();
  });
});
