-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "egressAllowCidrs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "egressAllowHosts" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "secretGrants" TEXT[] DEFAULT ARRAY[]::TEXT[];
