// The one way client components read the JSON API: same origin, never cached, the server's
// `{error:{code,message}}` surfaced as an ApiError. Every live read and poll goes through useApiQuery.
import { useQuery, type DefinedUseQueryResult, type QueryKey } from "@tanstack/react-query";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, cache: "no-store", headers: { accept: "application/json" } });
  return readJson<T>(res);
}

/** POST a JSON body to the same origin (the browser adds Origin, which the API checks for cookie writes). */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: "POST", cache: "no-store", headers: { accept: "application/json", "content-type": "application/json" }, body: JSON.stringify(body) });
  return readJson<T>(res);
}

async function readJson<T>(res: Response): Promise<T> {
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

/**
 * GET `path` through react-query, starting from the server-rendered `initial`, and poll every `pollMs`
 * while `poll(latest)` holds. react-query pauses polling in a hidden tab and refetches on focus.
 */
export function useApiQuery<T>(
  key: QueryKey,
  path: string,
  opts: { initial: T; pollMs: number; poll: (latest: T) => boolean; staleTime?: number; refetchOnMount?: boolean },
) {
  // initialData is always given, so data is always defined (the overload that says so needs a literal).
  return useQuery<T, ApiError>({
    queryKey: key,
    queryFn: ({ signal }) => getJson<T>(path, signal),
    initialData: opts.initial,
    staleTime: opts.staleTime ?? 0,
    refetchOnMount: opts.refetchOnMount ?? true,
    // A failed poll shows its error and the next interval tries again; no burst of retries.
    retry: false,
    refetchInterval: (query) => (opts.poll(query.state.data ?? opts.initial) ? opts.pollMs : false),
  }) as DefinedUseQueryResult<T, ApiError>;
}
