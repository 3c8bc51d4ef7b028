// SQL sent straight to the pg pool under Prisma, for the ingest hot path. A raw statement through Prisma
// costs about 250-330 µs of CPU in this process (query interpreter, tracing spans, value conversion) and an
// interactive transaction about 600 µs more; through pg about 80 µs. The webhook sends a few statements
// per delivery, so that difference was a fifth of the web process's CPU per delivery.
//
// The interface is the subset of Prisma's that the hot path uses ($executeRaw / $queryRaw tagged
// templates, every ${value} a parameter), so helpers written for it (appendAudit, lockIncidentGroups)
// take a Prisma transaction or a raw one alike. Values: a Date is sent as its ISO string (UTC, as Prisma
// stores DateTime); read times back as epoch milliseconds or inside json, not as timestamp columns
// (pg would read a zone-less timestamp in the process's time zone).
import type pg from "pg";
import { dbPool } from "@/lib/db";

export type RawSql = {
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
  /** As Prisma's: T is the whole answer, an array of rows (`$queryRaw<Row[]>`). */
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
};

function toQuery(strings: TemplateStringsArray, values: unknown[]): pg.QueryConfig {
  let text = strings[0]!;
  for (let i = 1; i < strings.length; i++) text += `$${i}${strings[i]}`;
  return { text, values: values.map((v) => (v instanceof Date ? v.toISOString() : v)) };
}

type Queryable = { query: (config: pg.QueryConfig) => Promise<pg.QueryResult> };

function sqlOn(target: Queryable): RawSql {
  return {
    $executeRaw: async (strings, ...values) => (await target.query(toQuery(strings, values))).rowCount ?? 0,
    $queryRaw: async <T>(strings: TemplateStringsArray, ...values: unknown[]) => (await target.query(toQuery(strings, values))).rows as T,
  };
}

/**
 * A statement of a rawTransaction that nobody needs the answer of, left in flight: rawTransaction awaits
 * it before it commits, and fails the transaction when it failed.
 */
export function inFlight(statement: PromiseLike<unknown>): void {
  Promise.resolve(statement).catch(() => {});
}

/** Single statements on the pool (each its own transaction). */
export function rawSql(): RawSql {
  return sqlOn(dbPool());
}

/** pool.connect() that gives up after `ms` (a connection that arrives later goes back to the pool). */
function connectWithin(pool: pg.Pool, ms: number): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      // Worded like Prisma's P2024, which lib/http/store-errors.ts maps to 503 store_unavailable.
      reject(new Error(`Timed out fetching a new connection from the connection pool after ${ms} ms`));
    }, ms);
    pool.connect().then(
      (client) => {
        if (settled) return client.release();
        settled = true;
        clearTimeout(timer);
        resolve(client);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * BEGIN, `fn`, COMMIT on one pooled connection; ROLLBACK when `fn` or the commit throws (a connection
 * that failed or whose rollback fails is discarded, not returned to the pool).
 *
 * Statements are pipelined: each is written as soon as `fn` issues it, without waiting for the answer
 * to the one before (the server still runs them in order, each on a snapshot taken when it starts). So
 * `fn` waits only where it needs an answer: BEGIN, a lock and the read after it cost one round trip, the
 * last write and COMMIT another. A statement `fn` issued and did not await is still awaited here before
 * the transaction counts as committed: when any failed, the server had aborted the transaction and
 * COMMIT rolled it back, and the failure is thrown. Statements issued in one tick go out in one write.
 */
export async function rawTransaction<T>(fn: (tx: RawSql) => Promise<T>, { maxWaitMs = 10_000 }: { maxWaitMs?: number } = {}): Promise<T> {
  const client = await connectWithin(dbPool(), maxWaitMs);
  let broken: Error | undefined;
  // The server dropping a checked-out connection is emitted on it (pg attaches no listener while it is
  // ours): without this the process would crash. The query in progress fails with the same error.
  const onError = (err: Error) => {
    broken = err;
  };
  client.on("error", onError);
  const issued: Promise<unknown>[] = [];
  // The first statement to fail is the cause; the ones after it only fail because the transaction was aborted.
  let firstFailure: unknown;
  // pg's pipeline mode and its socket are not in its typings.
  const pipelined = client as unknown as { pipeline: boolean; connection?: { stream?: { cork?: () => void; uncork?: () => void } } };
  const stream = pipelined.connection?.stream;
  let corked = false;
  const send = (config: pg.QueryConfig | string): Promise<pg.QueryResult> => {
    if (!corked && stream?.cork && stream.uncork) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork!();
      });
    }
    const p = client.query(config as pg.QueryConfig);
    // Awaited below; until then a failure must not count as an unhandled rejection.
    p.catch((e: unknown) => {
      firstFailure ??= e;
    });
    issued.push(p);
    return p;
  };
  pipelined.pipeline = true;
  try {
    send("BEGIN");
    const result = await fn(sqlOn({ query: send }));
    const commit = send("COMMIT");
    await Promise.all(issued);
    // COMMIT of a transaction the server had aborted answers ROLLBACK, not an error.
    if ((await commit).command !== "COMMIT") throw new Error("transaction was rolled back by the server");
    return result;
  } catch (err) {
    // Queued behind whatever is still in flight, so once it answers the connection is idle again.
    await send("ROLLBACK").catch((e: Error) => {
      broken = e;
    });
    throw firstFailure ?? err;
  } finally {
    pipelined.pipeline = false;
    client.removeListener("error", onError);
    client.release(broken);
  }
}
