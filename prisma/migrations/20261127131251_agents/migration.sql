-- CreateTable
CREATE TABLE "AgentCluster" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "bootstrapTokenHash" TEXT,
    "bootstrapExpiresAt" TIMESTAMP(3),
    "publicKeyPem" TEXT,
    "fingerprint" TEXT,
    "ingestTokenId" UUID,
    "enrolledAt" TIMESTAMP(3),
    "agentVersion" TEXT,
    "allowlist" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "connectedAt" TIMESTAMP(3),
    "disconnectedAt" TIMESTAMP(3),
    "lastHeartbeatAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentCluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentTrigger" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "runId" UUID,
    "stepId" TEXT,
    "attempt" INTEGER,
    "mode" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "outcome" JSONB,
    "rejection" JSONB,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "acceptedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AgentTrigger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentSigningKey" (
    "orgId" UUID NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "privateKeySealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentSigningKey_pkey" PRIMARY KEY ("orgId")
);

-- CreateIndex
CREATE UNIQUE INDEX "AgentCluster_bootstrapTokenHash_key" ON "AgentCluster"("bootstrapTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "AgentCluster_orgId_name_key" ON "AgentCluster"("orgId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "AgentTrigger_nonce_key" ON "AgentTrigger"("nonce");

-- CreateIndex
CREATE INDEX "AgentTrigger_clusterId_status_idx" ON "AgentTrigger"("clusterId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AgentTrigger_runId_stepId_mode_attempt_key" ON "AgentTrigger"("runId", "stepId", "mode", "attempt");

-- AddForeignKey
ALTER TABLE "AgentCluster" ADD CONSTRAINT "AgentCluster_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentTrigger" ADD CONSTRAINT "AgentTrigger_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentTrigger" ADD CONSTRAINT "AgentTrigger_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "AgentCluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentSigningKey" ADD CONSTRAINT "AgentSigningKey_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
