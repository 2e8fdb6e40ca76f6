import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import * as mariadb from "mariadb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, mysqlConnectionConfig } from "./migrate.ts";
import { migrationsDir, readMigrations } from "./migrations.ts";
import { diffSchemas, diffSqliteWithPrismaSchema, introspectMysql, introspectSqlite, normaliseDefault, parseMysqlEnum, parsePrismaSchema, readMysqlMigrationsTable, readPrismaSchema, type SchemaShape } from "./schema-drift.ts";
import { createScratchMysqlDatabase, type ScratchDatabase } from "./scratch-mysql.ts";

// The schema drift check from the foundation issue: Prisma schema == SQLite migrations (Prisma's
// own engine says so) and SQLite migrations == MySQL migrations (both databases introspected).

let scratchDir: string;
let sqliteFile: string;

beforeAll(async () => {
  scratchDir = mkdtempSync(path.join(os.tmpdir(), "ops-drift-"));
  sqliteFile = path.join(scratchDir, "drift.db");
  await migrateDatabase(`file:${sqliteFile}`);
});

afterAll(() => {
  rmSync(scratchDir, { recursive: true, force: true });
});

describe("schema drift: SQLite", () => {
  // Two Prisma CLI runs (db pull, migrate diff): a few seconds, more on a busy machine.
  it("SQLite migrations produce exactly the Prisma schema", { timeout: 120_000 }, () => {
    const difference = diffSqliteWithPrismaSchema(sqliteFile);
    if (difference !== null) {
      expect.fail(
        `The SQLite migrations do not build what prisma/schema.prisma declares ` +
          `(run \`npm run db:new-migration -- <name>\`):\n${difference}`,
      );
    }
  });

  it("reports a database that lacks an index or has an extra column", { timeout: 120_000 }, async () => {
    const file = path.join(scratchDir, "doctored.db");
    await migrateDatabase(`file:${file}`);
    const db = new Database(file);
    const index = db
      .prepare(`SELECT name, tbl_name AS tableName FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL LIMIT 1`)
      .get() as { name: string; tableName: string };
    db.exec(`DROP INDEX "${index.name}"; ALTER TABLE "${index.tableName}" ADD COLUMN "strayColumn" TEXT`);
    db.close();

    const difference = diffSqliteWithPrismaSchema(file);
    expect(difference).not.toBeNull();
    expect(difference).toContain(`CREATE ${/_key$/.test(index.name) ? "UNIQUE " : ""}INDEX "${index.name}"`);
    // SQLite cannot drop the stray column in place: Prisma redefines the table without it.
    expect(difference).toContain(`Redefined table \`${index.tableName}\``);
  });

  it("reads every table the migrations create, without Prisma's bookkeeping table", () => {
    const shape = introspectSqlite(sqliteFile);
    const schema = readPrismaSchema();
    expect(shape.tables.map((t) => t.name).sort()).toEqual(schema.models.map((m) => m.table).sort());
    for (const table of shape.tables) expect(table.primaryKey.length).toBeGreaterThan(0);
  });

  it("types a TEXT column as an enum with the schema's values when its field is an enum", () => {
    const schema = readPrismaSchema();
    const shape = introspectSqlite(sqliteFile, schema);
    for (const model of schema.models) {
      for (const field of model.fields.filter((f) => schema.enums.has(f.type))) {
        const column = shape.tables.find((t) => t.name === model.table)?.columns.find((c) => c.name === field.column);
        expect(column?.kind, `${model.table}.${field.column}`).toBe("enum");
        expect(column?.enumValues).toEqual(schema.enums.get(field.type));
      }
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("schema drift: MariaDB", () => {
  let database: ScratchDatabase;

  beforeAll(async () => {
    database = await createScratchMysqlDatabase(process.env.TEST_DATABASE_URL!, "ops_drift");
    await migrateDatabase(database.url);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("MariaDB migrations produce the same tables, columns, indexes and foreign keys as SQLite", async () => {
    const sqlite = introspectSqlite(sqliteFile);
    const mysql = await introspectMysql(database.url);
    const differences = diffSchemas(sqlite, mysql, ["SQLite", "MariaDB"]);
    expect(
      differences,
      `prisma/mysql/migrations drifted from prisma/migrations:\n  ${differences.join("\n  ")}`,
    ).toEqual([]);
    expect(mysql.tables.length).toBeGreaterThan(0);
  });

  it("MariaDB ENUM columns list exactly the values the Prisma schema declares", async () => {
    const schema = readPrismaSchema();
    const mysql = await introspectMysql(database.url);
    for (const model of schema.models) {
      const table = mysql.tables.find((t) => t.name === model.table);
      for (const field of model.fields) {
        const column = table?.columns.find((c) => c.name === field.column);
        const values = schema.enums.get(field.type);
        if (values) expect(column?.enumValues, `${model.table}.${field.column}`).toEqual(values);
        else if (column) expect(column.kind, `${model.table}.${field.column}`).not.toBe("enum");
      }
    }
  });

  it("reads every Prisma scalar type, JSON, a descending index and a foreign key alike on both providers", async () => {
    // The DDL Prisma writes for this schema on each provider (SQLite: `prisma migrate diff
    // --from-empty`; MySQL: Prisma's MySQL renderer), so types the app does not use yet are covered.
    const schema = parsePrismaSchema(`
      enum Kind {
        A
        B
      }
      model Parent {
        id   BigInt @id @default(autoincrement())
        kids Kid[]
      }
      model Kid {
        id       Int      @id @default(autoincrement())
        s        String   @default("it's")
        i        Int      @default(3)
        b        BigInt   @default(4)
        f        Float    @default(1.5)
        d        Decimal  @default(2.25)
        o        Boolean  @default(false)
        t        DateTime @default(now())
        j        Json
        y        Bytes?
        k        Kind     @default(B)
        parentId BigInt
        parent   Parent   @relation(fields: [parentId], references: [id])
        @@index([t(sort: Desc), s])
      }
    `);
    const file = path.join(scratchDir, "all-types.db");
    const sqlite = new Database(file);
    sqlite.exec(`
      CREATE TABLE "Parent" ("id" BIGINT NOT NULL PRIMARY KEY);
      CREATE TABLE "Kid" (
        "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        "s" TEXT NOT NULL DEFAULT 'it''s',
        "i" INTEGER NOT NULL DEFAULT 3,
        "b" BIGINT NOT NULL DEFAULT 4,
        "f" REAL NOT NULL DEFAULT 1.5,
        "d" DECIMAL NOT NULL DEFAULT 2.25,
        "o" BOOLEAN NOT NULL DEFAULT false,
        "t" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        "j" JSONB NOT NULL,
        "y" BLOB,
        "k" TEXT NOT NULL DEFAULT 'B',
        "parentId" BIGINT NOT NULL,
        CONSTRAINT "Kid_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
      );
      CREATE INDEX "Kid_t_s_idx" ON "Kid"("t" DESC, "s");
    `);
    sqlite.close();

    const scratch = await createScratchMysqlDatabase(process.env.TEST_DATABASE_URL!, "ops_drift");
    try {
      const conn = await mariadb.createConnection({ ...mysqlConnectionConfig(scratch.url), multipleStatements: true });
      try {
        await conn.query(`
          CREATE TABLE \`Parent\` (
            \`id\` BIGINT NOT NULL AUTO_INCREMENT,
            PRIMARY KEY (\`id\`)
          ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
          CREATE TABLE \`Kid\` (
            \`id\` INTEGER NOT NULL AUTO_INCREMENT,
            \`s\` VARCHAR(191) NOT NULL DEFAULT 'it''s',
            \`i\` INTEGER NOT NULL DEFAULT 3,
            \`b\` BIGINT NOT NULL DEFAULT 4,
            \`f\` DOUBLE NOT NULL DEFAULT 1.5,
            \`d\` DECIMAL(65, 30) NOT NULL DEFAULT 2.25,
            \`o\` BOOLEAN NOT NULL DEFAULT false,
            \`t\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
            \`j\` JSON NOT NULL,
            \`y\` LONGBLOB NULL,
            \`k\` ENUM('A', 'B') NOT NULL DEFAULT 'B',
            \`parentId\` BIGINT NOT NULL,
            INDEX \`Kid_t_s_idx\`(\`t\` DESC, \`s\`),
            PRIMARY KEY (\`id\`)
          ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
          ALTER TABLE \`Kid\` ADD CONSTRAINT \`Kid_parentId_fkey\` FOREIGN KEY (\`parentId\`) REFERENCES \`Parent\`(\`id\`) ON DELETE RESTRICT ON UPDATE CASCADE;
        `);
      } finally {
        await conn.end();
      }
      const fromSqlite = introspectSqlite(file, schema);
      const fromMysql = await introspectMysql(scratch.url);
      expect(diffSchemas(fromSqlite, fromMysql)).toEqual([]);

      const kid = fromMysql.tables.find((t) => t.name === "Kid")!;
      expect(Object.fromEntries(kid.columns.map((c) => [c.name, c.kind]))).toEqual({
        id: "int", s: "string", i: "int", b: "bigint", f: "float", d: "decimal", o: "boolean",
        t: "datetime", j: "json", y: "bytes", k: "enum", parentId: "bigint",
      });
      expect(kid.columns.find((c) => c.name === "s")?.default).toBe("it's");
      // MariaDB adds an index named like the foreign key for it: not part of the schema.
      expect(kid.indexes).toEqual([{ name: "Kid_t_s_idx", columns: ["t DESC", "s"], unique: false }]);
      expect(kid.foreignKeys).toEqual([
        {
          name: "Kid_parentId_fkey",
          columns: ["parentId"],
          referencedTable: "Parent",
          referencedColumns: ["id"],
          onDelete: "RESTRICT",
          onUpdate: "CASCADE",
        },
      ]);
    } finally {
      await scratch.drop();
    }
  });

  it("fails when a MySQL migration drifts (a doctored copy of the migrations)", async () => {
    // A copy of the project with one column made nullable and one index left out of the MySQL
    // migrations: the check must name both.
    const root = mkdtempSync(path.join(os.tmpdir(), "ops-drift-doctored-"));
    const doctoredDb = await createScratchMysqlDatabase(process.env.TEST_DATABASE_URL!, "ops_drift");
    const cwd = process.cwd();
    try {
      cpSync(migrationsDir("mysql"), migrationsDir("mysql", root), { recursive: true });
      const first = readMigrations("mysql", root)[0]!;
      const file = path.join(migrationsDir("mysql", root), first.name, "migration.sql");
      const lines = first.sql.split("\n");
      const columnAt = lines.findIndex((l) => /^\s+`(?!id`)\w+` [^,]* NOT NULL( DEFAULT [^,]*)?,$/.test(l));
      const indexAt = lines.findIndex((l) => /^\s+(UNIQUE )?INDEX `\w+`\(.*\),$/.test(l));
      expect(columnAt, "a NOT NULL column to doctor").toBeGreaterThanOrEqual(0);
      expect(indexAt, "an index to doctor").toBeGreaterThanOrEqual(0);
      const column = /`(\w+)`/.exec(lines[columnAt]!)![1]!;
      const index = /INDEX `(\w+)`/.exec(lines[indexAt]!)![1]!;
      lines[columnAt] = lines[columnAt]!.replace(" NOT NULL", " NULL");
      lines.splice(indexAt, 1);
      writeFileSync(file, lines.join("\n"));

      process.chdir(root); // the runner reads migrations from the current directory
      try {
        await migrateDatabase(doctoredDb.url);
      } finally {
        process.chdir(cwd);
      }
      const differences = diffSchemas(introspectSqlite(sqliteFile), await introspectMysql(doctoredDb.url));
      expect(differences.some((d) => d.includes(`.${column}: nullability differ`)), differences.join("\n")).toBe(true);
      expect(differences.some((d) => d.includes(`.${index}: only in SQLite`)), differences.join("\n")).toBe(true);
    } finally {
      process.chdir(cwd);
      await doctoredDb.drop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("MariaDB records migrations in Prisma's _prisma_migrations format", async () => {
    const { columns, rows } = await readMysqlMigrationsTable(database.url);
    // Prisma's own DDL (schema engine, MySQL flavour), as information_schema reports it.
    expect(columns).toEqual([
      { name: "id", type: "varchar(36)", nullable: false, default: null, primaryKey: true },
      { name: "checksum", type: "varchar(64)", nullable: false, default: null, primaryKey: false },
      { name: "finished_at", type: "datetime(3)", nullable: true, default: null, primaryKey: false },
      { name: "migration_name", type: "varchar(255)", nullable: false, default: null, primaryKey: false },
      { name: "logs", type: "text", nullable: true, default: null, primaryKey: false },
      { name: "rolled_back_at", type: "datetime(3)", nullable: true, default: null, primaryKey: false },
      {
        name: "started_at",
        type: "datetime(3)",
        nullable: false,
        default: "current_timestamp(3)",
        primaryKey: false,
      },
      { name: "applied_steps_count", type: "int unsigned", nullable: false, default: "0", primaryKey: false },
    ]);

    // One finished row per migration folder, its checksum the sha256 of the file's bytes.
    const dir = migrationsDir("mysql");
    const names = readMigrations("mysql").map((m) => m.name);
    expect(rows.map((r) => r.migrationName)).toEqual(names);
    for (const row of rows) {
      const bytes = readFileSync(path.join(dir, row.migrationName, "migration.sql"));
      expect(row.checksum, row.migrationName).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row).toMatchObject({ finished: true, rolledBack: false, logs: null, appliedStepsCount: 1 });
    }
  });
});

describe("diffSchemas", () => {
  const base = (): SchemaShape => ({
    tables: [
      {
        name: "Session",
        columns: [
          { name: "id", kind: "string", enumValues: null, nullable: false, default: null, nativeType: "TEXT" },
          { name: "userId", kind: "string", enumValues: null, nullable: false, default: null, nativeType: "TEXT" },
          { name: "tier", kind: "int", enumValues: null, nullable: false, default: "3", nativeType: "INTEGER" },
          {
            name: "role",
            kind: "enum",
            enumValues: ["ADMIN", "VIEWER"],
            nullable: false,
            default: "VIEWER",
            nativeType: "TEXT",
          },
        ],
        primaryKey: ["id"],
        indexes: [{ name: "Session_userId_idx", columns: ["userId"], unique: false }],
        foreignKeys: [
          {
            name: "Session_userId_fkey",
            columns: ["userId"],
            referencedTable: "User",
            referencedColumns: ["id"],
            onDelete: "CASCADE",
            onUpdate: "CASCADE",
          },
        ],
      },
    ],
  });

  it("reports nothing for equal schemas", () => {
    expect(diffSchemas(base(), base())).toEqual([]);
  });

  it("reports a column whose type, nullability or default changed", () => {
    const changed = base();
    const tier = changed.tables[0]!.columns[2]!;
    tier.kind = "string";
    tier.nullable = true;
    tier.default = null;
    const diff = diffSchemas(base(), changed, ["SQLite", "MariaDB"]);
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatch(/^column Session\.tier: type, nullability, default differ/);
  });

  it("reports enum values that differ", () => {
    const changed = base();
    changed.tables[0]!.columns[3]!.enumValues = ["ADMIN", "VIEWER", "GUEST"];
    expect(diffSchemas(base(), changed)).toEqual([
      expect.stringMatching(/^column Session\.role: enum values differ/),
    ]);
  });

  it("reports a missing index, a missing column and an extra table", () => {
    const changed = base();
    changed.tables[0]!.indexes = [];
    changed.tables[0]!.columns.pop();
    changed.tables.push({ name: "Extra", columns: [], primaryKey: [], indexes: [], foreignKeys: [] });
    expect(diffSchemas(base(), changed, ["SQLite", "MariaDB"])).toEqual([
      "table Extra: only in MariaDB",
      expect.stringMatching(/^column Session\.role: only in SQLite/),
      "index Session.Session_userId_idx: only in SQLite: (userId)",
    ]);
  });

  it("reports a unique flag, a primary key and a foreign key action that differ", () => {
    const changed = base();
    const table = changed.tables[0]!;
    table.indexes[0]!.unique = true;
    table.primaryKey = ["id", "userId"];
    table.foreignKeys[0]!.onDelete = "RESTRICT";
    const diff = diffSchemas(base(), changed);
    expect(diff).toHaveLength(3);
    expect(diff.join("\n")).toMatch(/primary key SQLite \(id\), MySQL \(id, userId\)/);
    expect(diff.join("\n")).toMatch(/index Session\.Session_userId_idx: SQLite \(userId\), MySQL unique \(userId\)/);
    expect(diff.join("\n")).toMatch(/ON DELETE CASCADE .*, MySQL .*ON DELETE RESTRICT/);
  });

  it("catches a change to the real SQLite database's shape", () => {
    const real = introspectSqlite(sqliteFile);
    const doctored: SchemaShape = structuredClone(real);
    const table = doctored.tables.find((t) => t.indexes.length > 0)!;
    const column = table.columns.find((c) => !c.nullable && !table.primaryKey.includes(c.name))!;
    column.nullable = true;
    const removed = table.indexes.shift()!;
    expect(diffSchemas(real, doctored)).toEqual([
      expect.stringMatching(new RegExp(`^column ${table.name}\\.${column.name}: nullability differ`)),
      expect.stringMatching(new RegExp(`^index ${table.name}\\.${removed.name}: only in SQLite`)),
    ]);
  });
});

describe("normalisation", () => {
  it("spells the same default the same way on both providers", () => {
    expect(normaliseDefault("CURRENT_TIMESTAMP", "datetime")).toBe(normaliseDefault("current_timestamp(3)", "datetime"));
    expect(normaliseDefault("true", "boolean")).toBe(normaliseDefault("1", "boolean"));
    expect(normaliseDefault("'VIEWER'", "enum")).toBe("VIEWER");
    expect(normaliseDefault("''", "string")).toBe("");
    expect(normaliseDefault("'it''s'", "string")).toBe("it's");
    expect(normaliseDefault("1.5", "decimal")).toBe(normaliseDefault("1.500000000000000000000000000000", "decimal"));
    expect(normaliseDefault("NULL", "string")).toBeNull();
    expect(normaliseDefault(null, "string")).toBeNull();
  });

  it("parses MySQL ENUM definitions", () => {
    expect(parseMysqlEnum("enum('ADMIN','OPERATOR','IT''S')")).toEqual(["ADMIN", "OPERATOR", "IT'S"]);
  });

  it("finds enum fields, autoincrement, @map and @@map in a Prisma schema", () => {
    const schema = parsePrismaSchema(`
      enum Colour {
        RED   @map("red") // a comment
        GREEN
        @@map("colour")
      }
      /// doc comment
      model Thing {
        id     Int     @id @default(autoincrement()) // mysql: @db.UnsignedInt
        colour Colour? @map("thing_colour")
        url    String  @default("http://example.com")
        tags   Tag[]
        @@map("things")
      }
    `);
    expect(schema.enums.get("Colour")).toEqual(["red", "GREEN"]);
    expect(schema.models).toEqual([
      {
        name: "Thing",
        table: "things",
        fields: [
          { name: "id", type: "Int", column: "id", autoincrement: true },
          { name: "colour", type: "Colour", column: "thing_colour", autoincrement: false },
          { name: "url", type: "String", column: "url", autoincrement: false },
        ],
      },
    ]);
  });
});
