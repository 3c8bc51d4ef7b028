#!/bin/sh
# Prisma's CLI insists that a schema-engine binary exists even for `prisma generate`, and downloads
# one when it does not, which fails offline. `generate` never runs it; anything that does lands here.
echo "neuralops: the Prisma schema-engine binary is not available offline; use 'npm run db:migrate' (see README)" >&2
exit 1
