// Import first in a test file whose jobs must not be picked up by other files' workers (or whose worker
// must not take theirs): gives the file its own Redis key prefix under the run's prefix, which the
// global teardown still removes.
import { randomBytes } from "node:crypto";

process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}:${randomBytes(3).toString("hex")}`;
