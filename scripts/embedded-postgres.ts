// A PostgreSQL server for machines that have none: PGlite (Postgres compiled to WASM) persisted in a
// data directory, served on the Postgres wire protocol by pglite-socket, so the app, the workers,
// Prisma's adapter-pg and plain `pg` connect to it with an ordinary postgresql:// URL.
//
// What differs from a real server (README, "Embedded database"):
// - One backend session behind all connections. Statements run one at a time and a transaction holds
//   the whole server until it commits or rolls back (correct, but single-writer).
// - Session state is shared by every connection: session advisory locks never block another
//   connection (pg_try_advisory_lock always succeeds), SET applies to everyone, named prepared
//   statements share one namespace. Transaction-scoped locks (pg_advisory_xact_lock) are moot
//   because transactions are already serialized.
// - Every database name and user is accepted and all map to the single `postgres` database.
// - One process at a time per data directory (enforced with a lock file next to it).
import { PGlite, type Extensions } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { isAlive } from "@/lib/runtime-file";

export type EmbeddedPostgresOptions = {
  /** Where the database files live; created on first start. */
  dataDir: string;
  /** Fixed port (fails if taken). Default: 54329 if free, else any free port. */
  port?: number;
  host?: string;
  /** Concurrent client connections the socket server accepts. */
  maxConnections?: number;
  log?: (msg: string) => void;
};

export type EmbeddedPostgres = {
  url: string;
  port: number;
  /** true when the pgvector extension is available (`CREATE EXTENSION vector` works). */
  vector: boolean;
  stop(): Promise<void>;
};

export const DEFAULT_EMBEDDED_PORT = 54329;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? (() => {});
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const releaseLock = acquireLock(`${dataDir}.lock`);
  let db: PGlite | undefined;
  try {
    // pg_trgm backs the incident list's search index (migration incident_list_search).
    const extensions: Extensions = { pg_trgm };
    const vector = await loadVector();
    if (vector) extensions.vector = vector;
    const started = Date.now();
    db = await PGlite.create({ dataDir, extensions });
    log(`PGlite ready in ${Date.now() - started} ms (${dataDir})`);

    const served = serializeExtendedBatches(db);
    const maxConnections = opts.maxConnections ?? 100;
    const listen = async (port: number) => {
      const server = new PGLiteSocketServer({ db: served, host, port, maxConnections });
      await server.start();
      return server;
    };
    let server: PGLiteSocketServer;
    if (opts.port !== undefined) {
      server = await listen(opts.port);
    } else {
      try {
        server = await listen(DEFAULT_EMBEDDED_PORT);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
        server = await listen(0);
      }
    }
    const port = Number(server.getServerConn().split(":").pop());
    const clientHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    const url = `postgresql://postgres@${clientHost.includes(":") ? `[${clientHost}]` : clientHost}:${port}/postgres`;

    let stopping: Promise<void> | undefined;
    const pglite = db;
    const stop = () =>
      (stopping ??= (async () => {
        try {
          await server.stop();
        } finally {
          try {
            await pglite.close();
          } finally {
            releaseLock();
          }
        }
      })());
    return { url, port, vector: Boolean(vector), stop };
  } catch (err) {
    await db?.close().catch(() => {});
    releaseLock();
    throw err;
  }
}

async function loadVector(): Promise<Extensions[string] | undefined> {
  try {
    const mod = await import("@electric-sql/pglite-pgvector");
    return mod.vector;
  } catch {
    return undefined; // optional: the app falls back when the extension is missing
  }
}

/**
 * pglite-socket queues protocol messages one at a time from all connections and keeps a connection
 * exclusive only while PGlite is inside a transaction block. An extended-protocol query
 * (Parse/Bind/Describe/Execute … Sync) that reaches the server in two TCP reads (large parameters)
 * could therefore be interleaved with another connection's query, which replaces the shared unnamed
 * statement: wrong results or "bind message supplies 0 parameters". The socket server only uses
 * `isInTransaction()` to decide exclusivity, so we report "in transaction" from the first extended
 * message until its Sync; the connection then keeps the backend for the whole batch.
 */
function serializeExtendedBatches(db: PGlite): PGlite {
  let batchOpen = false;
  const EXTENDED = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
  const SYNC = "S".charCodeAt(0);
  const QUERY = "Q".charCodeAt(0);
  const TERMINATE = "X".charCodeAt(0);
  const isStartup = (m: Uint8Array) => m.length >= 8 && new DataView(m.buffer, m.byteOffset, m.byteLength).getInt32(4) === 196608;
  const syncMessage = new Uint8Array([SYNC, 0, 0, 0, 4]);

  const overrides: Partial<PGlite> = {
    isInTransaction: () => batchOpen || db.isInTransaction(),
    execProtocolRawStream: async (message, options) => {
      const type = message[0];
      if (type !== undefined && !isStartup(message)) {
        if (EXTENDED.has(type)) batchOpen = true;
        else if (type === SYNC || type === QUERY || type === TERMINATE) batchOpen = false;
      }
      return db.execProtocolRawStream(message, options);
    },
    // Called by the socket server to roll back after a client vanished mid-transaction: also end a
    // half-sent extended batch so the next client starts clean.
    exec: async (query, options) => {
      if (batchOpen) {
        batchOpen = false;
        await db.runExclusive(() => db.execProtocolRawStream(syncMessage, { onRawData: () => {} }));
      }
      return db.exec(query, options);
    },
  };
  return new Proxy(db, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof PGlite];
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A pid file next to the data directory: two processes opening one PGlite directory corrupt it. */
const heldLocks = new Set<string>();

function acquireLock(lockPath: string): () => void {
  if (heldLocks.has(lockPath)) throw new Error(`the embedded database ${lockPath.replace(/\.lock$/, "")} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldLocks.add(lockPath);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldLocks.delete(lockPath);
        try {
          if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(lockPath, "utf8").trim());
      // Our own pid here is a leftover from an earlier process that had the same pid (containers).
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `the embedded database in ${lockPath.replace(/\.lock$/, "")} is in use by process ${pid} ` +
            `(another \`npm run up\`?). Stop it first, or delete ${lockPath} if that process is not NeuralOps.`,
        );
      }
      unlinkSync(lockPath); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${lockPath}`);
}

