// Playwright drives the production build (`next build` first; `npm test` does it) in Debian's Chromium.
// The web server gets a fresh database (created by e2e/global-setup.ts) and its own Redis prefix.
import { defineConfig } from "@playwright/test";
import { randomBytes } from "node:crypto";
import path from "node:path";

// The config is evaluated again in each worker process; env set here is inherited, so the run id and
// port are chosen once.
process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
process.env.E2E_PORT ??= String(31000 + Math.floor(Math.random() * 8000));

const id = process.env.E2E_RUN_ID;
const port = Number(process.env.E2E_PORT);
const pgServer = new URL(process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
pgServer.pathname = `/neuralops_test_${id}_e2e`;
process.env.E2E_DATABASE_URL = pgServer.toString();
process.env.E2E_REDIS_PREFIX = `neuralops-test-${id}-e2e`;
// Export files of this run (web and worker must see the same directory).
process.env.E2E_EXPORT_DIR = path.resolve(`test-results/exports-${id}`);
const baseURL = `http://127.0.0.1:${port}`;
// A secret the worker holds for the demo org (NEURALOPS_SECRET_DEMO__E2E_RUNS_TOKEN) but the org is not
// granted until a journey grants it: e2e/ui/run-verdict.spec.ts.
process.env.E2E_RUNS_SECRET ??= `e2e-runs-${id}`;
// The agent gateway (workers/agent-gateway.ts): e2e agents dial it.
process.env.E2E_GATEWAY_PORT = String(port + 2);
// What the web server and the worker must agree on: one database, one Redis prefix, one secret (each opens
// what the other sealed, e.g. redaction keys) and one export directory.
const sharedEnv = {
  DATABASE_URL: process.env.E2E_DATABASE_URL!,
  REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  REDIS_PREFIX: process.env.E2E_REDIS_PREFIX!,
  NEXTAUTH_SECRET: `e2e-${id}-secret-0123456789`,
  EXPORT_DIR: process.env.E2E_EXPORT_DIR!,
  NODE_ENV: "production",
};

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: [
   {
    command: `node_modules/.bin/next start -p ${port} -H 127.0.0.1`,
    // /login renders without the database, which global setup creates after the server starts.
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { ...sharedEnv, NEXTAUTH_URL: baseURL, NEXT_TELEMETRY_DISABLED: "1", AGENT_GATEWAY_PUBLIC_URL: `ws://127.0.0.1:${port + 2}/api/v1/agent/connect` },
   },
   {
    // The worker runs dry-runs and executions (journeys need it); ready when its /metrics answers.
    command: `${process.execPath} --import tsx workers/main.ts`,
    url: `http://127.0.0.1:${port + 1}/metrics`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { ...sharedEnv, NEURALOPS_SECRET_DEMO__E2E_RUNS_TOKEN: process.env.E2E_RUNS_SECRET, WORKER_METRICS_PORT: String(port + 1), WORKER_QUEUES: "orchestrator:4,maintenance:1,etl:1,vectors:2,oncall:2" },
   },
   {
    command: `${process.execPath} --import tsx workers/agent-gateway.ts`,
    url: `http://127.0.0.1:${port + 2}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { ...sharedEnv, AGENT_GATEWAY_HOST: "127.0.0.1", AGENT_GATEWAY_PORT: String(port + 2), AGENT_GATEWAY_METRICS_PORT: String(port + 3) },
   },
  ],
});
