-- CreateTable
CREATE TABLE "Change" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "service" TEXT,
    "namespace" TEXT,
    "deployment" TEXT,
    "cluster" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "revision" TEXT,
    "version" TEXT,
    "actor" TEXT,
    "url" TEXT,
    "dedupKey" TEXT NOT NULL,
    "raw" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Change_orgId_at_idx" ON "Change"("orgId", "at");

-- CreateIndex
CREATE INDEX "Change_orgId_service_at_idx" ON "Change"("orgId", "service", "at");

-- CreateIndex
CREATE INDEX "Change_orgId_namespace_at_idx" ON "Change"("orgId", "namespace", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Change_orgId_dedupKey_key" ON "Change"("orgId", "dedupKey");

-- AddForeignKey
ALTER TABLE "Change" ADD CONSTRAINT "Change_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
