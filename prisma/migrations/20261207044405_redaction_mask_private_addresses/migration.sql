-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "maskPrivateAddresses" BOOLEAN NOT NULL DEFAULT false;
