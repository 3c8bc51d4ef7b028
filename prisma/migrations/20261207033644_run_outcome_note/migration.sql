-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "outcomeNote" TEXT,
ADD COLUMN     "outcomeNoteAt" TIMESTAMP(3),
ADD COLUMN     "outcomeNoteBy" TEXT;
