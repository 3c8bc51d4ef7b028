-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "redactionKeySealed" TEXT;

-- CreateTable
CREATE TABLE "Export" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "status" "ExportStatus" NOT NULL DEFAULT 'queued',
    "kinds" TEXT[],
    "fromTime" TIMESTAMP(3),
    "toTime" TIMESTAMP(3),
    "gzip" BOOLEAN NOT NULL DEFAULT true,
    "trigger" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "cursor" JSONB,
    "bytesWritten" BIGINT NOT NULL DEFAULT 0,
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    "rowsTotal" INTEGER,
    "fileName" TEXT,
    "sha256" TEXT,
    "report" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Export_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Embedding" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "objectId" UUID NOT NULL,
    "embedder" TEXT NOT NULL,
    "dim" INTEGER NOT NULL,
    "vector" BYTEA NOT NULL,
    "textHash" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Embedding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Export_orgId_createdAt_idx" ON "Export"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "Embedding_orgId_kind_embedder_updatedAt_idx" ON "Embedding"("orgId", "kind", "embedder", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Embedding_kind_objectId_key" ON "Embedding"("kind", "objectId");

-- CreateIndex
CREATE INDEX "Incident_orgId_openedAt_id_idx" ON "Incident"("orgId", "openedAt", "id");

-- CreateIndex
CREATE INDEX "Run_orgId_createdAt_id_idx" ON "Run"("orgId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Embedding" ADD CONSTRAINT "Embedding_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
