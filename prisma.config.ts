// Prisma CLI configuration. Prisma 6.19 runs its schema engine as WebAssembly through a driver
// adapter (the native engine cannot be downloaded here); that engine speaks SQLite only, so the CLI
// is used for the SQLite side (generate, diff) and lib/db/migrate.ts applies migrations for both.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "file:./data/ops-portal.db" });
  },
});
