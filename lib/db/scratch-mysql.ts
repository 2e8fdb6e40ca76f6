import { randomBytes } from "node:crypto";
import * as mariadb from "mariadb";
import { mysqlConnectionConfig } from "./migrate.ts";

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export type ScratchDatabase = { name: string; url: string; drop: () => Promise<void> };

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const conn = await mariadb.createConnection({ ...mysqlConnectionConfig(serverUrl), database: undefined });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/**
 * A fresh, uniquely named database on the server `serverUrl` points at; `drop()` removes it.
 * Refuses servers that are not on this machine, so tests can never touch a shared database.
 */
export async function createScratchMysqlDatabase(serverUrl: string, prefix = "ops_scratch"): Promise<ScratchDatabase> {
  if (!/^\w+$/.test(prefix)) throw new Error(`Invalid database name prefix "${prefix}"`);
  const host = mysqlConnectionConfig(serverUrl).host ?? "";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
    throw new Error(`refusing to create scratch databases on non-local host ${host}`);
  }
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return { name, url: withDatabase(serverUrl, name), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS \`${name}\``) };
}
