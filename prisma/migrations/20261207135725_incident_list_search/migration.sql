-- The incident list: an owner, indexes for each sort, and search over title, group key, service and
-- label values ("payments", "prod-eu-1").

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "ownerId" UUID;

-- Everything the list's search matches, lower-cased, kept by PostgreSQL itself so no writer (ingest,
-- exports restore, a hand-written UPDATE) can forget it. A generated column may only call immutable
-- functions and jsonb_each_text is a set-returning one, hence the wrapper; it depends on its argument
-- alone, so IMMUTABLE is true.
CREATE FUNCTION "incident_search_text"(title TEXT, group_key TEXT, service TEXT, labels JSONB) RETURNS TEXT
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(
    title || ' ' || group_key || ' ' || coalesce(service, '') || ' ' ||
    coalesce((SELECT string_agg(l.key || '=' || l.value, ' ' ORDER BY l.key) FROM jsonb_each_text(CASE WHEN jsonb_typeof(labels) = 'object' THEN labels ELSE '{}'::jsonb END) AS l), '')
  );

ALTER TABLE "Incident" ADD COLUMN "searchText" TEXT GENERATED ALWAYS AS ("incident_search_text"("title", "groupKey", "service", "labels")) STORED;

-- Trigram index for `searchText ILIKE '%…%'`. pg_trgm ships with PostgreSQL (contrib) and PGlite, and is a
-- trusted extension (the database owner may create it); where it is missing the search still works,
-- by scanning the organization's incidents, so the migration does not fail for it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX "Incident_searchText_trgm_idx" ON "Incident" USING GIN ("searchText" gin_trgm_ops)';
  ELSE
    RAISE NOTICE 'pg_trgm is not available: incident search will scan instead of using an index';
  END IF;
END
$$;

-- CreateIndex
CREATE INDEX "Incident_orgId_lastSignalAt_id_idx" ON "Incident"("orgId", "lastSignalAt", "id");

-- CreateIndex
CREATE INDEX "Incident_orgId_severity_openedAt_id_idx" ON "Incident"("orgId", "severity", "openedAt", "id");

-- CreateIndex
CREATE INDEX "Incident_orgId_ownerId_openedAt_idx" ON "Incident"("orgId", "ownerId", "openedAt");

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
