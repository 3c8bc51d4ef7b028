// Login throttling in Redis (shared by every web process), counting failed attempts only.
//
// - Per account and client address: LOGIN_MAX_ATTEMPTS failures are free; after that each further attempt must
//   wait 1 s, 2 s, 4 s, … (capped at LOGIN_MAX_DELAY_SECONDS) after the previous one, and is refused with the
//   remaining wait until then, whatever the password. Someone guessing from elsewhere never blocks the owner's
//   address, and a correct password clears that address's count.
// - Per client address, across accounts (password spraying): at most 5 × LOGIN_MAX_ATTEMPTS failures per
//   LOGIN_WINDOW_SECONDS.
//
// An attempt is counted as a failure when it starts (one atomic script), and given back if it succeeds: so
// concurrent guesses cannot all pass the check before the first one is recorded.
import { env } from "@/lib/env";
import { redis, redisKey } from "@/lib/redis";

export type LimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const BASE_DELAY_MS = 1_000;
// How long an account+address's failures are remembered after its last attempt.
const PAIR_MEMORY_MS = 24 * 3600 * 1000;

// KEYS: pair hash {n: attempts counted, until: ms epoch before which attempts are refused}, address counter.
// ARGV: now ms, free failures, base delay ms, max delay ms, pair memory ms, address cap (0: no address), window ms.
const RESERVE = `
local now = tonumber(ARGV[1])
local untilMs = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if untilMs > now then return {0, untilMs - now} end
local cap = tonumber(ARGV[6])
if cap > 0 then
  if tonumber(redis.call('GET', KEYS[2]) or '0') >= cap then
    local ttl = redis.call('PTTL', KEYS[2])
    if ttl < 0 then ttl = tonumber(ARGV[7]) end
    return {0, ttl}
  end
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[7], 'NX')
end
local free = tonumber(ARGV[2])
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
if n >= free then
  local delay = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (n - free))
  redis.call('HSET', KEYS[1], 'until', math.floor(now + delay))
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, 0}
`;

// A success: forget the pair, give the address its attempt back (never below zero, never a key without expiry).
const SUCCEED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
`;

function keys(email: string, ip: string | undefined): [string, string] {
  const account = email.toLowerCase();
  return [redisKey("login", "pair", account, ip ?? "-"), redisKey("login", "ip", ip ?? "-")];
}

/** Counts this attempt as a failure unless it is refused; call loginSucceeded() when the password was right. */
export async function reserveLoginAttempt({ email, ip }: { email: string; ip?: string }): Promise<LimitResult> {
  const { LOGIN_MAX_ATTEMPTS: free, LOGIN_MAX_DELAY_SECONDS: maxDelay, LOGIN_WINDOW_SECONDS: window } = env();
  const cap = ip ? free * 5 : 0;
  const [ok, waitMs] = (await redis().eval(RESERVE, 2, ...keys(email, ip), Date.now(), free, BASE_DELAY_MS, maxDelay * 1000, PAIR_MEMORY_MS, cap, window * 1000)) as [
    number,
    number,
  ];
  return ok === 1 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

export async function loginSucceeded({ email, ip }: { email: string; ip?: string }): Promise<void> {
  await redis().eval(SUCCEED, 2, ...keys(email, ip));
}
