import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { serialize } from "pg-protocol";
import net from "node:net";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
const pgx = await startEmbeddedPostgres({ dataDir: "/tmp/up-exp/d7/pglite", log: console.log });
const port = pgx.port;
const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
// raw client
const sock = net.connect(port, "127.0.0.1");
let got = Buffer.alloc(0);
sock.on("data", (d) => { got = Buffer.concat([got, d]); });
await new Promise((r) => sock.once("connect", r));
sock.write(serialize.startup({ user: "postgres", database: "postgres" }));
await new Promise((r) => setTimeout(r, 300));
got = Buffer.alloc(0);
// extended batch split in two writes
sock.write(Buffer.concat([serialize.parse({ text: "SELECT 'raw'::text AS who", types: [] })]));
await new Promise((r) => setTimeout(r, 200));
const c = new pg.Client(url); const conn = c.connect();
const other = conn.then(() => c.query("SELECT $1::text AS who", ["pg-client"]));
await new Promise((r) => setTimeout(r, 200));
sock.write(Buffer.concat([serialize.bind({}), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]));
const timeout = new Promise((r) => setTimeout(() => r("timeout"), 3000));
console.log("pg client got", await Promise.race([other.then((r) => r.rows), timeout]));
await new Promise((r) => setTimeout(r, 500));
console.log("raw got", got.toString("latin1").replace(/[^\x20-\x7e]/g, "."));
sock.destroy(); await c.end().catch(() => {}); await pgx.stop();
