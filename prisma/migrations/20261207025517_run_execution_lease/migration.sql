-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseToken" INTEGER NOT NULL DEFAULT 0;
