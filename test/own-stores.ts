// A PostgreSQL and a Redis that belong to one test file, for fault tests that kill and restart them
// (the shared servers of the run must never be touched). Linux, PostgreSQL server binaries in
// /usr/lib/postgresql/<version>/bin (PG_BIN overrides), redis-server on PATH.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
// PG_BIN, else the newest Debian/Ubuntu install (15 on this project's machines).
const PG_BIN =
  process.env.PG_BIN ??
  (() => {
    const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) : [];
    const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
    return newest ? `/usr/lib/postgresql/${newest}/bin` : "/usr/lib/postgresql/15/bin";
  })();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1" });
    sock.once("connect", () => (sock.destroy(), resolve(true)));
    sock.once("error", () => resolve(false));
  });

/** A redis-server without persistence: a restart comes back empty, like a lost Redis volume. */
export async function startOwnRedis(opts: { maxmemoryPolicy?: string } = {}) {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", opts.maxmemoryPolicy ?? "noeviction"], { stdio: "ignore" });
    await waitFor(`redis-server on ${port}`, () => answers(port));
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    /** kill -9: no shutdown, nothing saved. */
    async kill9() {
      const c = child!;
      if (c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once("exit", r));
      c.kill("SIGKILL");
      await gone;
    },
    start,
    async stop() {
      await this.kill9();
    },
  };
}

/**
 * initdb into a temp dir and pg_ctl on a free port, trust auth. PostgreSQL refuses to run as root, so
 * under root the server runs as the `postgres` user (or PG_USER).
 */
export async function startOwnPostgres() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "neuralops-pg-"));
  const data = path.join(dir, "data");
  const asUser = process.getuid?.() === 0 ? await uidOf(process.env.PG_USER ?? "postgres") : undefined;
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const pgRun = (bin: string, args: string[]) => run(path.join(PG_BIN, bin), args, { ...(asUser ?? {}), cwd: dir, env: { ...process.env, LC_ALL: "C" } });
  await pgRun("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  // No fsync: it is a throwaway; crash recovery after -m immediate still replays the WAL.
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='${dir}' -c fsync=off -c max_connections=200`;
  const start = async () => {
    await pgRun("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    urlFor: (db: string) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    port,
    start,
    /** `pg_ctl stop -m immediate`: every backend is killed, the next start runs crash recovery. */
    async stopImmediate() {
      await pgRun("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    async destroy() {
      await pgRun("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function uidOf(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run("id", ["-u", name]);
  const { stdout: g } = await run("id", ["-g", name]);
  return { uid: Number(stdout.trim()), gid: Number(g.trim()) };
}
