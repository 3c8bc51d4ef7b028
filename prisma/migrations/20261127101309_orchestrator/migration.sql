-- CreateEnum
CREATE TYPE "Risk" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('suggested', 'dry_run', 'awaiting_approval', 'approved', 'executing', 'succeeded', 'failed', 'cancelled', 'rejected', 'expired');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('pending', 'started', 'succeeded', 'failed', 'skipped', 'unknown', 'cancelled');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "allowUnsignedPlaybooks" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "approvalTtlSeconds" INTEGER NOT NULL DEFAULT 3600;

-- CreateTable
CREATE TABLE "Playbook" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "risk" "Risk" NOT NULL,
    "latestVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Playbook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaybookVersion" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "playbookId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "source" BYTEA NOT NULL,
    "spec" JSONB NOT NULL,
    "signature" TEXT,
    "origin" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlaybookVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "notAfter" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "playbookVersionId" UUID NOT NULL,
    "playbookName" TEXT NOT NULL,
    "incidentId" UUID,
    "status" "RunStatus" NOT NULL DEFAULT 'suggested',
    "risk" "Risk" NOT NULL,
    "requiredApprovals" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "reason" TEXT,
    "requestedById" TEXT NOT NULL,
    "requestedByType" TEXT NOT NULL,
    "requestedByLabel" TEXT NOT NULL,
    "dryRunReport" JSONB,
    "verification" JSONB,
    "approvalExpiresAt" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunStep" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "idx" INTEGER NOT NULL,
    "stepId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "output" JSONB,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RunStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "userLabel" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Playbook_orgId_name_key" ON "Playbook"("orgId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PlaybookVersion_playbookId_version_key" ON "PlaybookVersion"("playbookId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "PlaybookVersion_orgId_digest_key" ON "PlaybookVersion"("orgId", "digest");

-- CreateIndex
CREATE UNIQUE INDEX "SigningKey_orgId_fingerprint_key" ON "SigningKey"("orgId", "fingerprint");

-- CreateIndex
CREATE INDEX "Run_orgId_status_createdAt_idx" ON "Run"("orgId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Run_incidentId_idx" ON "Run"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "RunStep_runId_idx_key" ON "RunStep"("runId", "idx");

-- CreateIndex
CREATE UNIQUE INDEX "RunStep_runId_stepId_key" ON "RunStep"("runId", "stepId");

-- CreateIndex
CREATE UNIQUE INDEX "Approval_runId_userId_key" ON "Approval"("runId", "userId");

-- AddForeignKey
ALTER TABLE "Playbook" ADD CONSTRAINT "Playbook_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaybookVersion" ADD CONSTRAINT "PlaybookVersion_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaybookVersion" ADD CONSTRAINT "PlaybookVersion_playbookId_fkey" FOREIGN KEY ("playbookId") REFERENCES "Playbook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningKey" ADD CONSTRAINT "SigningKey_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_playbookVersionId_fkey" FOREIGN KEY ("playbookVersionId") REFERENCES "PlaybookVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunStep" ADD CONSTRAINT "RunStep_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunStep" ADD CONSTRAINT "RunStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
