/** Where the database lives. DATABASE_URL unset means the embedded SQLite file under ./data. */
export const DEFAULT_SQLITE_URL = "file:./data/ops-portal.db";

export type DbProvider = "sqlite" | "mysql";

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_SQLITE_URL;
}

export function providerOf(url: string): DbProvider {
  if (/^(mysql|mariadb):\/\//i.test(url)) return "mysql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or mysql:// (MySQL/MariaDB); got "${redactUrl(url)}"`,
  );
}

/** The file path of a file: URL, resolved against the current directory as the adapter does. */
export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]*)@/, "//$1:***@");
}
