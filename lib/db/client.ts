import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { PrismaClient as MysqlPrismaClient } from "./generated/mysql/client.ts";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.ts";
import { mysqlConnectionConfig } from "./migrate.ts";
import { databaseUrl, providerOf } from "./url.ts";

export type Db = SqlitePrismaClient;
export { Prisma, Role, Environment } from "./generated/sqlite/client.ts";
export type { User, Service } from "./generated/sqlite/client.ts";
export type { Colour, DeploymentStepKind, DeploymentStepStatus, DeploymentStatus, DeploymentDriverKind } from "./generated/sqlite/client.ts";

/**
 * One generated client per provider (a client refuses the other provider's adapter); only the one
 * DATABASE_URL selects is created. Both come from the same schema, so their APIs are identical and
 * the MySQL client is typed as the SQLite one.
 */
export function createDb(url = databaseUrl()): Db {
  let client: Db;
  if (providerOf(url) === "mysql") {
    const adapter = new PrismaMariaDb({ ...mysqlConnectionConfig(url), connectionLimit: 10 });
    client = new MysqlPrismaClient({ adapter }) as unknown as Db;
  } else {
    client = new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 15_000 }) });
  }
  urls.set(client, url);
  return client;
}

const urls = new WeakMap<Db, string>();

/** The URL a client was created for (lib/db code that must reach the driver directly needs it). */
export function databaseUrlOf(client: Db): string {
  const url = urls.get(client) ?? (client === db ? databaseUrl() : undefined); // db survives dev reloads
  if (!url) throw new Error("this Prisma client was not created by createDb()");
  return url;
}

const globalForDb = globalThis as unknown as { opsPortalDb?: Db };

/** The process-wide client (kept on globalThis so dev reloads do not open a pool per edit). */
export const db: Db = globalForDb.opsPortalDb ?? (globalForDb.opsPortalDb = createDb());
