import { compareMigrations, readMigrations, type MigrationState } from "./migrations.ts";
import { databaseUrl, providerOf } from "./url.ts";
import type { Db } from "./client.ts";

type Row = { name: string; checksum: string; finished: unknown; rolledBack: unknown };

/** Round-trips the database and compares its migration record with the migrations shipped. */
export async function databaseMigrationState(db: Db): Promise<MigrationState> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    "SELECT migration_name AS name, checksum, finished_at AS finished, rolled_back_at AS rolledBack FROM _prisma_migrations",
  );
  return compareMigrations(
    readMigrations(providerOf(databaseUrl())),
    rows.map((r) => ({
      name: r.name,
      checksum: r.checksum,
      finished: r.finished != null,
      rolledBack: r.rolledBack != null,
    })),
  );
}
