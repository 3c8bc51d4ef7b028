import { createServer, type Server } from "node:http";
import { metrics } from "@/lib/metrics/registry";

/** The worker process's own /metrics (each process exposes its own registry). */
export function startMetricsServer(port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/metrics") {
      const { registry } = metrics();
      res.writeHead(200, { "content-type": registry.contentType });
      res.end(await registry.metrics());
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
