# syntax=docker/dockerfile:1
# The control plane: one image for the web app, the worker and the agent gateway (the agent has its own,
# agent/Dockerfile). Build from the repository root:
#   docker build -t ghcr.io/neuralops/neuralops:0.1.0 .
# and pick the process with the command (deploy/helm/neuralops and compose.yaml do):
#   web      (default)  next start on PORT (3000)
#   worker              node --import tsx workers/main.ts          (metrics on WORKER_METRICS_PORT, 9465)
#   gateway             node --import tsx workers/agent-gateway.ts (AGENT_GATEWAY_PORT 3001, metrics 9466)
#   migrate             node --import tsx scripts/migrate.ts       (idempotent; run before web and worker start)
# The tag should equal appVersion in deploy/helm/neuralops/Chart.yaml.

FROM node:20-slim AS deps
WORKDIR /src
# What `npm ci` needs: the lock file, and for the postinstall (prisma generate, offline) the schema and its script.
COPY package.json package-lock.json tsconfig.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.ts scripts/no-schema-engine.sh ./scripts/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npx next build \
 # The runtime keeps only production dependencies; tsx (a dependency) runs the worker, gateway and scripts.
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf .next/cache

FROM node:20-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    AGENT_GATEWAY_HOST=0.0.0.0 \
    AGENT_GATEWAY_PORT=3001 \
    EXPORT_DIR=/data/exports
# Sources stay: the worker, gateway, CLI and migrations run TypeScript through tsx, and the seed reads playbooks/.
COPY --from=build --chown=root:root /src /app
# The image's files belong to root and are read-only to the process; it writes only to /tmp (tsx's cache),
# .next/cache and the export directory, which the chart mounts as volumes when the root filesystem is read-only.
RUN mkdir -p /data/exports /app/.next/cache \
 && chown 1000:1000 /data/exports /app/.next/cache
# The `node` user of the base image, by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000 3001 9465 9466
CMD ["node_modules/.bin/next", "start", "-H", "0.0.0.0"]
