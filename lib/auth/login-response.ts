// A throttled credentials login (lib/auth/rate-limit.ts) reaches next-auth as the error code
// "RateLimited:<seconds>". next-auth answers every refused login with 401 and the code in a URL; this turns the
// throttled ones into what they are, 429 with Retry-After, keeping the body next-auth's client reads.

/** The wait in seconds carried by a "RateLimited:<seconds>" error code, else undefined. */
export function retryAfterFromError(code: string | null | undefined): number | undefined {
  const m = /^RateLimited:(\d+)$/.exec(code ?? "");
  return m ? Number(m[1]) : undefined;
}

export async function loginRefusalStatus(res: Response): Promise<Response> {
  if (res.status !== 401 || !res.headers.get("content-type")?.includes("application/json")) return res;
  const body = await res.clone().text();
  let url: string | undefined;
  try {
    url = (JSON.parse(body) as { url?: string }).url;
  } catch {
    return res;
  }
  const wait = url ? retryAfterFromError(new URL(url, "http://x").searchParams.get("error")) : undefined;
  if (wait === undefined) return res;
  const headers = new Headers(res.headers);
  headers.set("retry-after", String(wait));
  return new Response(body, { status: 429, headers });
}
