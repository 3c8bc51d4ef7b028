-- AlterTable
ALTER TABLE "Monitor" ADD COLUMN     "clusterId" UUID;

-- AddForeignKey
ALTER TABLE "Monitor" ADD CONSTRAINT "Monitor_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "AgentCluster"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
