-- CreateEnum
CREATE TYPE "TokenKind" AS ENUM ('user', 'service');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "createdByTokenId" UUID,
ADD COLUMN     "kind" "TokenKind" NOT NULL DEFAULT 'user',
ADD COLUMN     "ownerId" UUID;

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedUserId" UUID,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_orgId_email_idx" ON "Invitation"("orgId", "email");

-- CreateIndex
CREATE INDEX "ApiToken_ownerId_idx" ON "ApiToken"("ownerId");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing tokens: a token a person created acts for that person; a token created by the CLI or by
-- another token had no owner and becomes a service token (it can no longer approve runs).
UPDATE "ApiToken" SET "ownerId" = "createdById" WHERE "createdById" IS NOT NULL;
UPDATE "ApiToken" SET "kind" = 'service' WHERE "ownerId" IS NULL;

-- A user token always has an owner; a service token never has one.
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_owner_kind_check" CHECK (("kind" = 'user') = ("ownerId" IS NOT NULL));
