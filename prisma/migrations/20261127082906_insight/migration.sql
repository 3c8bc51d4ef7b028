-- CreateEnum
CREATE TYPE "SignalKind" AS ENUM ('anomaly', 'alert');

-- CreateEnum
CREATE TYPE "SignalStatus" AS ENUM ('firing', 'resolved');

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedBy" TEXT,
ADD COLUMN     "groupKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lastSignalAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "resolvedBy" TEXT,
ADD COLUMN     "service" TEXT;

-- CreateTable
CREATE TABLE "PrometheusSource" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "authType" TEXT NOT NULL DEFAULT 'none',
    "username" TEXT,
    "secretEncrypted" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PrometheusSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Monitor" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "stepSeconds" INTEGER NOT NULL DEFAULT 60,
    "detector" JSONB NOT NULL,
    "sensitivity" DOUBLE PRECISION NOT NULL DEFAULT 0.99,
    "severity" "Severity" NOT NULL DEFAULT 'warning',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "scannedUntil" BIGINT,
    "lastScanAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Monitor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitorSeries" (
    "id" UUID NOT NULL,
    "monitorId" UUID NOT NULL,
    "seriesKey" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "checkpoint" JSONB NOT NULL,
    "lastTs" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonitorSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Signal" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "kind" "SignalKind" NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "status" "SignalStatus" NOT NULL DEFAULT 'firing',
    "endsAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 1,
    "title" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "severity" "Severity" NOT NULL,
    "score" DOUBLE PRECISION,
    "value" DOUBLE PRECISION,
    "source" TEXT NOT NULL,
    "incidentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Signal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "actorLabel" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "IncidentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PrometheusSource_orgId_key" ON "PrometheusSource"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "Monitor_orgId_name_key" ON "Monitor"("orgId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "MonitorSeries_monitorId_seriesKey_key" ON "MonitorSeries"("monitorId", "seriesKey");

-- CreateIndex
CREATE INDEX "Signal_orgId_status_fingerprint_idx" ON "Signal"("orgId", "status", "fingerprint");

-- CreateIndex
CREATE INDEX "Signal_incidentId_idx" ON "Signal"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "Signal_orgId_fingerprint_startsAt_key" ON "Signal"("orgId", "fingerprint", "startsAt");

-- CreateIndex
CREATE INDEX "IncidentEvent_incidentId_at_idx" ON "IncidentEvent"("incidentId", "at");

-- CreateIndex
CREATE INDEX "Incident_orgId_groupKey_status_idx" ON "Incident"("orgId", "groupKey", "status");

-- AddForeignKey
ALTER TABLE "PrometheusSource" ADD CONSTRAINT "PrometheusSource_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Monitor" ADD CONSTRAINT "Monitor_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitorSeries" ADD CONSTRAINT "MonitorSeries_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "Monitor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signal" ADD CONSTRAINT "Signal_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signal" ADD CONSTRAINT "Signal_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentEvent" ADD CONSTRAINT "IncidentEvent_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentEvent" ADD CONSTRAINT "IncidentEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
