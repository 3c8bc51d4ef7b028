// List, then watch from the list's resourceVersion, for as long as the agent runs: the pattern of every
// Kubernetes controller. A watch that ends (the server's timeoutSeconds, a dropped connection) resumes from
// the last resourceVersion seen (events and BOOKMARKs move it); one that the server answers with 410 Gone
// (the history it would replay was compacted) starts over with a fresh list, which the caller compares
// with what it knew. Errors (no RBAC, API server down) are logged and retried with exponential backoff.
import { AppsV1Api, CoreV1Api, Watch, type KubeConfig } from "@kubernetes/client-node";
import { setTimeout as sleep } from "node:timers/promises";
import { backoffMs } from "../connection";
import type { KubeObject, Resource, WatchType } from "./detect";

export type ListWatchOptions = {
  kc: KubeConfig;
  resource: Resource;
  /** One namespace, or every namespace the agent may read. */
  namespace?: string;
  /** After each list: `relist` is false the first time, true after a 410 Gone. */
  onList: (items: KubeObject[], relist: boolean) => void;
  onEvent: (type: WatchType, obj: KubeObject) => void;
  log: (line: string) => void;
  backoff: { minMs: number; maxMs: number };
  /** Asked of the server; it ends the watch then and we resume. A silent connection is given up 30 s later. */
  timeoutSeconds?: number;
};

type WatchEnd = "closed" | "gone";

const PATHS: Record<Resource, { all: string; ns: (ns: string) => string }> = {
  deployments: { all: "/apis/apps/v1/deployments", ns: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments` },
  configmaps: { all: "/api/v1/configmaps", ns: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps` },
};

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number; code?: number })?.statusCode ?? (e as { code?: number })?.code;

export class ListWatch {
  private rv: string | null = null;
  private listedOnce = false;
  private stopped = false;
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;
  private readonly stopSignal = new AbortController();

  constructor(private readonly o: ListWatchOptions) {}

  get scope() {
    return `${this.o.resource} (${this.o.namespace ? `namespace ${this.o.namespace}` : "all namespaces"})`;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the loop. A request still waiting for the server's headers cannot be aborted: it is left behind. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort();
    this.controller?.abort();
    await Promise.race([this.running, sleep(2000)]);
  }

  private async list(): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const { kc, resource, namespace } = this.o;
    const list =
      resource === "deployments"
        ? namespace
          ? await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace })
          : await kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces()
        : namespace
          ? await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace })
          : await kc.makeApiClient(CoreV1Api).listConfigMapForAllNamespaces();
    return { items: (list.items ?? []) as KubeObject[], resourceVersion: list.metadata?.resourceVersion ?? "" };
  }

  private watchOnce(): Promise<WatchEnd> {
    const { kc, resource, namespace } = this.o;
    const timeoutSeconds = this.o.timeoutSeconds ?? 300;
    return new Promise<WatchEnd>((resolve, reject) => {
      let gone = false;
      let silent = false;
      let watchdog: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          silent = true;
          this.controller?.abort();
        }, (timeoutSeconds + 30) * 1000);
      };
      arm();
      const path = namespace ? PATHS[resource].ns(namespace) : PATHS[resource].all;
      const onEvent = (type: string, obj: KubeObject & { code?: number; message?: string }) => {
        arm();
        if (type === "ERROR") {
          // A Status: 410 means the resourceVersion is too old to resume from.
          if (obj?.code === 410) gone = true;
          else this.o.log(`change watch ${this.scope}: the API server sent an error: ${obj?.message ?? JSON.stringify(obj)}`);
          return;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (rv) this.rv = rv;
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") this.o.onEvent(type, obj);
      };
      const done = (err: unknown) => {
        clearTimeout(watchdog);
        if (this.stopped || silent) return resolve("closed");
        if (statusOf(err) === 410) return resolve("gone");
        if (err) return reject(err);
        resolve(gone ? "gone" : "closed");
      };
      new Watch(kc)
        .watch(path, { resourceVersion: this.rv ?? undefined, allowWatchBookmarks: true, timeoutSeconds }, onEvent, done)
        .then((c) => {
          this.controller = c;
          if (this.stopped) c.abort();
        }, done);
    });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.rv === null) {
          const { items, resourceVersion } = await this.list();
          if (this.stopped) return;
          this.o.onList(items, this.listedOnce);
          if (!this.listedOnce) this.o.log(`change watch ${this.scope}: listed ${items.length}, watching from resourceVersion ${resourceVersion}`);
          this.listedOnce = true;
          this.rv = resourceVersion;
        }
        const started = Date.now();
        const end = await this.watchOnce();
        // A watch the server ends at once, again and again, must not become a busy loop.
        failures = Date.now() - started < 1000 ? failures + 1 : 0;
        if (end === "gone") {
          this.o.log(`change watch ${this.scope}: resourceVersion ${this.rv} is gone (410); listing again`);
          this.rv = null;
        }
        if (failures > 1) await this.pause(backoffMs(failures, this.o.backoff));
      } catch (e) {
        if (this.stopped) return;
        failures += 1;
        const code = statusOf(e);
        const delay = backoffMs(failures, this.o.backoff);
        const why = code === 403 ? "forbidden (the agent's RBAC lacks list/watch; see the chart's changeWatch setting)" : (e as Error)?.message ?? String(e);
        this.o.log(`change watch ${this.scope}: ${why}; retrying in ${delay} ms`);
        await this.pause(delay);
      }
    }
  }

  private async pause(ms: number) {
    await sleep(ms, undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
  }
}
