-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "previousRunId" UUID;

-- CreateIndex
CREATE INDEX "AuditEvent_orgId_targetType_targetId_seq_idx" ON "AuditEvent"("orgId", "targetType", "targetId", "seq");

-- CreateIndex
CREATE INDEX "Run_previousRunId_idx" ON "Run"("previousRunId");

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_previousRunId_fkey" FOREIGN KEY ("previousRunId") REFERENCES "Run"("id") ON DELETE SET NULL ON UPDATE CASCADE;
