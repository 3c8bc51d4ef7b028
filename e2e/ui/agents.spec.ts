// The BYOC journey in the browser, against the real app, worker and agent gateway: an admin adds a cluster
// and gets its one-time token; the real agent process enrolls with it and dials the gateway; the Agents
// page shows it connected; an approved k8s.rollout_restart step executes through the agent (against the
// recording Kubernetes API stand-in) and the result shows on the run page.
import { expect, test } from "@playwright/test";
import { startFakeKubeApi, type FakeKubeApi } from "../../test/fake-kube-api";
import { killAllAgents, startAgentProcess, type AgentProc } from "../../test/agent-process";
import { bearer, e2eState, login, makeSigningKey, playbookSource, runUrl, trustKey, uniqueStamp, uploadPlaybook } from "../fixtures";

let kube: FakeKubeApi;
let agent: AgentProc | undefined;

test.beforeAll(async () => {
  kube = await startFakeKubeApi();
});

test.afterAll(async () => {
  await agent?.stop();
  killAllAgents();
  await kube.close();
});

test("onboard a cluster, connect its agent, and run an approved restart through it", async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const stamp = uniqueStamp();
  const clusterName = `prod-${stamp}`.toLowerCase().slice(0, 40);
  const deployment = `web-${stamp}`.toLowerCase();
  kube.addDeployment("shop", deployment, 2);

  // 1. The admin adds the cluster and gets the token with the install commands.
  await login(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Agents" })).toBeVisible();
  const form = page.getByRole("form", { name: "Add cluster" });
  await form.getByLabel(/^Cluster name/).fill(clusterName);
  await form.getByRole("button", { name: "Add cluster" }).click();
  const token = (await page.getByTestId("bootstrap-token").textContent())!.trim();
  expect(token).toMatch(/^nob_[A-Za-z0-9_-]{43}$/);
  const gatewayUrl = `ws://127.0.0.1:${process.env.E2E_GATEWAY_PORT}/api/v1/agent/connect`;
  await expect(page.getByTestId("install-helm")).toContainText(`--set bootstrapToken=${token}`);
  await expect(page.getByTestId("install-helm")).toContainText(`--set gatewayUrl=${gatewayUrl}`);
  await expect(page.getByTestId("install-plain")).toContainText(`REPLACE_WITH_BOOTSTRAP_TOKEN|${token}|`);
  const row = page.getByRole("row", { name: new RegExp(clusterName) });
  await expect(row.getByTestId("cluster-state")).toHaveText("awaiting enrollment");

  // 2. The agent (a real process) enrolls with the token and dials out to the gateway.
  agent = startAgentProcess({ controlPlaneUrl: baseURL!, gatewayUrl, kubeApiUrl: kube.url, bootstrapToken: token, allowlist: ["k8s.rollout_restart", "k8s.logs"] });
  await agent.waitFor(/connected to ws:/);
  // The page follows the connection by itself, and the token shown above stays on screen meanwhile.
  await expect(row.getByTestId("cluster-state")).toHaveText("connected", { timeout: 20_000 });
  await expect(page.getByTestId("bootstrap-token")).toHaveText(token);
  await expect(row.getByTestId("agent-version")).toHaveText("0.1.0");
  await expect(row).toContainText("k8s.rollout_restart, k8s.logs");
  // The token was burnt by the enrollment.
  const again = await request.post("/api/v1/agent/enroll", { data: { bootstrapToken: token, publicKeyPem: makeSigningKey().publicPem } });
  expect(again.status()).toBe(401);

  // 3. A signed playbook restarts the deployment in that cluster; an operator requests it, an approver approves.
  const key = makeSigningKey();
  await trustKey(request, `e2e-agent-key-${stamp}`, key.publicPem);
  const name = `e2e-restart-${stamp}`;
  const source = playbookSource({
    name,
    risk: "low",
    description: `Restarts a deployment through the agent (e2e ${stamp}).`,
    steps: [{ id: "restart", name: "Restart web", action: "k8s.rollout_restart", with: { cluster: clusterName, namespace: "shop", deployment } }],
  });
  await uploadPlaybook(request, source, key.sign(source));
  const { tokens } = e2eState();
  const created = await request.post("/api/v1/runs", { headers: bearer(tokens.operator.token), data: { playbook: name, params: {} } });
  expect(created.status()).toBe(201);
  const runId = ((await created.json()) as { id: string }).id;

  await page.context().clearCookies();
  await login(page, "approver");
  await page.goto(`/runs/${runId}`);
  await expect(page).toHaveURL(runUrl);
  await expect(page.getByTestId("run-status")).toHaveText("awaiting approval", { timeout: 30_000 });
  // The dry run went through the agent as a server-side dry run.
  await expect(page.getByTestId("dry-run-report")).toContainText(`restart deployment shop/${deployment} in cluster ${clusterName}`);
  await expect(page.getByTestId("dry-run-report")).toContainText("dry run");
  const patchPath = `/apis/apps/v1/namespaces/shop/deployments/${deployment}`;
  expect(kube.requests.filter((r) => r.path === patchPath).map((r) => r.query.dryRun)).toEqual(["All"]);

  await page.getByRole("link", { name: "Review in Approvals" }).click();
  const card = page.getByTestId(`approval-${runId}`);
  await expect(card.getByTestId("plan-restart")).toContainText("Restart web");
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  const step = page.getByTestId("step-restart");
  await expect(step.getByTestId("step-status")).toHaveText("succeeded");
  await expect(step).toContainText(clusterName);

  // Exactly one real PATCH reached the cluster: the strategic-merge restart annotation.
  const real = kube.requests.filter((r) => r.path === patchPath && r.query.dryRun === undefined);
  expect(real).toHaveLength(1);
  expect(real[0]!.contentType).toBe("application/strategic-merge-patch+json");
  expect(real[0]!.body).toMatchObject({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": expect.stringContaining(runId) } } } } });

  // The Agents page lists both triggers with their outcome.
  await page.goto("/agents");
  const recent = page.getByRole("table", { name: "Recent triggers" }).getByRole("row").filter({ hasText: clusterName });
  await expect(recent.filter({ hasText: "(dry run)" }).getByTestId("trigger-outcome")).toContainText("succeeded server-side dry run accepted");
  await expect(recent.filter({ hasNotText: "(dry run)" }).getByTestId("trigger-outcome")).toContainText(`succeeded restarted deployment shop/${deployment}`);

  // Monitors can read this cluster's Prometheus through the agent. This agent's allowlist leaves relayed
  // queries out, and the preview says so: the query went to the agent, which refused it.
  await page.goto("/monitors");
  const monitorForm = page.getByRole("form", { name: "New monitor" });
  await monitorForm.getByLabel("Metrics from").selectOption({ label: `Cluster ${clusterName} (through its agent)` });
  await monitorForm.getByLabel("PromQL query").fill("up");
  await monitorForm.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("alert").filter({ hasText: `cluster ${clusterName}` })).toHaveText(
    `The agent in cluster ${clusterName} rejected the query (action_not_allowed): prometheus.query_range is not on this agent's allowlist (ConfigMap neuralops-agent-allowlist)`,
  );

  // The agent's result is on the audit chain.
  const audit = await request.get("/api/v1/audit?action=agent.action_succeeded&limit=50", { headers: bearer(tokens.admin.token) });
  const { events } = (await audit.json()) as { events: { data: { runId: string; stepId: string; mode: string; exitStatus: number } }[] };
  const ours = events.filter((e) => e.data.runId === runId && e.data.stepId === "restart" && e.data.exitStatus === 0);
  // The server-side dry run before approval, and the execution.
  expect(ours.map((e) => e.data.mode).sort()).toEqual(["dryRun", "execute"]);
});
