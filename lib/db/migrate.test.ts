import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MigrationError, migrateDatabase, type MigrateResult } from "./migrate.ts";
import { readMigrations } from "./migrations.ts";
import { readMysqlMigrationsTable } from "./schema-drift.ts";
import { runPrismaCli } from "./prisma-cli.ts";
import { createScratchMysqlDatabase, type ScratchDatabase } from "./scratch-mysql.ts";

let scratchDir: string;

beforeAll(() => {
  scratchDir = mkdtempSync(path.join(os.tmpdir(), "ops-migrate-"));
});

afterAll(() => {
  rmSync(scratchDir, { recursive: true, force: true });
});

let counter = 0;
function freshSqliteFile(): string {
  return path.join(scratchDir, `db-${++counter}.db`);
}

type Row = { migration_name: string; checksum: string; finished_at: string | null; applied_steps_count: number };

function sqliteRows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      )
      .all() as Row[];
  } finally {
    db.close();
  }
}

const migrationNames = (): string[] => readMigrations("sqlite").map((m) => m.name);

describe("migrateDatabase on SQLite", () => {
  it("applies every migration once and does nothing on a second run", async () => {
    const file = freshSqliteFile();
    const first = await migrateDatabase(`file:${file}`);
    expect(first).toEqual({ provider: "sqlite", applied: migrationNames() });

    const second = await migrateDatabase(`file:${file}`);
    expect(second).toEqual({ provider: "sqlite", applied: [] });

    const rows = sqliteRows(file);
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames());
    for (const [i, m] of readMigrations("sqlite").entries()) {
      expect(rows[i]).toMatchObject({ checksum: m.checksum, applied_steps_count: 1 });
      expect(rows[i]?.finished_at).not.toBeNull();
    }
  });

  it("leaves a database that Prisma's `migrate status` reports up to date", { timeout: 120_000 }, async () => {
    const file = freshSqliteFile();
    await migrateDatabase(`file:${file}`);
    const status = runPrismaCli(["migrate", "status"], { DATABASE_URL: `file:${file}` });
    expect(status.status, `${status.stdout}\n${status.stderr}`).toBe(0);
    expect(status.stdout).toContain("Database schema is up to date");
  });

  it("refuses to run when an applied migration's checksum changed, naming the migration", async () => {
    const file = freshSqliteFile();
    await migrateDatabase(`file:${file}`);
    const edited = migrationNames()[0]!;
    const db = new Database(file);
    try {
      db.prepare(`UPDATE "_prisma_migrations" SET checksum = ? WHERE migration_name = ?`).run("0".repeat(64), edited);
    } finally {
      db.close();
    }
    const run = migrateDatabase(`file:${file}`);
    await expect(run).rejects.toBeInstanceOf(MigrationError);
    await expect(run).rejects.toThrow(new RegExp(`Migration ${edited} was edited after it was applied`));
  });

  it(
    "applies each migration exactly once when two processes migrate the same fresh file together",
    { timeout: 120_000 },
    async () => {
      const file = freshSqliteFile();
      // Each child loads the runner, says "ready", and migrates only when told "go": both are
      // released together, so they really race for the same fresh file.
      const script = path.join(scratchDir, "migrate-once.mts");
      const migrateModule = path.join(process.cwd(), "lib", "db", "migrate.ts");
      writeFileSync(
        script,
        `import { migrateDatabase } from ${JSON.stringify(migrateModule)};\n` +
          `process.stdout.write("ready\\n");\n` +
          `await new Promise((go) => process.stdin.once("data", go));\n` +
          `const result = await migrateDatabase(process.argv[2]);\n` +
          `process.stdout.write(JSON.stringify(result) + "\\n");\n`,
      );
      const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
      const children = [0, 1].map(() => {
        const child = spawn(tsx, [script, `file:${file}`], { stdio: ["pipe", "pipe", "pipe"] });
        let out = "";
        let err = "";
        const ready = new Promise<void>((resolve, reject) => {
          child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            if (out.startsWith("ready\n")) resolve();
          });
          child.on("close", (code) => reject(new Error(`migration process exited ${code} early:\n${err}`)));
        });
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        const done = new Promise<MigrateResult>((resolve, reject) => {
          child.on("error", reject);
          child.on("close", (code) => {
            if (code === 0) resolve(JSON.parse(out.slice("ready\n".length)) as MigrateResult);
            else reject(new Error(`migration process exited ${code}:\n${err}`));
          });
        });
        return { child, ready, done };
      });
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.child.stdin.end("go\n");

      const results = await Promise.all(children.map((c) => c.done));
      const appliedTogether = results.flatMap((r) => r.applied).sort();
      expect(appliedTogether).toEqual(migrationNames());
      expect(sqliteRows(file).map((r) => r.migration_name)).toEqual(migrationNames());
    },
  );
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("migrateDatabase on MariaDB", () => {
  let database: ScratchDatabase;

  beforeAll(async () => {
    database = await createScratchMysqlDatabase(process.env.TEST_DATABASE_URL!, "ops_migrate");
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("applies every migration once and does nothing on a second run", async () => {
    const names = readMigrations("mysql").map((m) => m.name);
    expect(await migrateDatabase(database.url)).toEqual({ provider: "mysql", applied: names });
    expect(await migrateDatabase(database.url)).toEqual({ provider: "mysql", applied: [] });
    const { rows } = await readMysqlMigrationsTable(database.url);
    expect(rows.map((r) => r.migrationName)).toEqual(names);
  });

  it("applies each migration exactly once when two runners start together", async () => {
    const fresh = await createScratchMysqlDatabase(process.env.TEST_DATABASE_URL!, "ops_migrate");
    try {
      const names = readMigrations("mysql").map((m) => m.name);
      const results = await Promise.all([migrateDatabase(fresh.url), migrateDatabase(fresh.url)]);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(names);
      const { rows } = await readMysqlMigrationsTable(fresh.url);
      expect(rows.map((r) => r.migrationName)).toEqual(names);
    } finally {
      await fresh.drop();
    }
  });
});
