-- AlterTable
ALTER TABLE "NotificationAttempt" ADD COLUMN     "runId" UUID,
ALTER COLUMN "incidentId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "slackTeamId" TEXT;

-- CreateTable
CREATE TABLE "ActionLink" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "attemptId" UUID,
    "via" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "ActionLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackLinkToken" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "channelId" UUID NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "slackUserName" TEXT,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedByUserId" UUID,

    CONSTRAINT "SlackLinkToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ActionLink_tokenHash_key" ON "ActionLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ActionLink_incidentId_idx" ON "ActionLink"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "SlackLinkToken_tokenHash_key" ON "SlackLinkToken"("tokenHash");

-- CreateIndex
CREATE INDEX "NotificationAttempt_runId_at_idx" ON "NotificationAttempt"("runId", "at");

-- CreateIndex
CREATE INDEX "NotificationAttempt_externalRef_idx" ON "NotificationAttempt"("externalRef");

-- CreateIndex
CREATE UNIQUE INDEX "User_slackTeamId_slackUserId_key" ON "User"("slackTeamId", "slackUserId");

-- AddForeignKey
ALTER TABLE "NotificationAttempt" ADD CONSTRAINT "NotificationAttempt_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionLink" ADD CONSTRAINT "ActionLink_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionLink" ADD CONSTRAINT "ActionLink_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionLink" ADD CONSTRAINT "ActionLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlackLinkToken" ADD CONSTRAINT "SlackLinkToken_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
