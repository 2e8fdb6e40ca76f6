import type { Db, Prisma } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";

/**
 * The `storeClient` handed to rate-limiter-flexible's RateLimiterPrisma: our `db` client's
 * RateLimiterFlexible model, with one fix for MySQL/MariaDB.
 *
 * RateLimiterPrisma counts with `upsert({ update: { points: { increment } } })`. On SQLite Prisma
 * runs that as one INSERT ... ON CONFLICT statement. MySQL has no such native upsert in Prisma,
 * so it is emulated as "select, then insert or update": when several first attempts on a new key
 * arrive together, all see no row, one insert wins and the others fail with P2002, and those
 * attempts would go uncounted (seen on MariaDB 10.11 with Prisma 6.19: 7 of 8 simultaneous first
 * attempts failed). Retrying a unique violation fixes it: the retry finds the row and increments
 * it atomically in the database. rate-limiter-store.test.ts checks every attempt is counted.
 */
export function rateLimiterStore(client: Db) {
  const model = client.rateLimiterFlexible;
  return {
    RateLimiterFlexible: {
      findFirst: (args: Prisma.RateLimiterFlexibleFindFirstArgs) => model.findFirst(args),
      deleteMany: (args: Prisma.RateLimiterFlexibleDeleteManyArgs) => model.deleteMany(args),
      async upsert(args: Prisma.RateLimiterFlexibleUpsertArgs) {
        for (let attempt = 1; ; attempt++) {
          try {
            return await model.upsert(args);
          } catch (err) {
            if (!isUniqueViolation(err) || attempt >= 5) throw err;
          }
        }
      },
    },
  };
}
