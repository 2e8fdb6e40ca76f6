import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import * as mariadb from "mariadb";
import { mysqlConnectionConfig } from "./migrate.ts";
import { cliFailure, pullSqliteSchema, runPrismaCli } from "./prisma-cli.ts";

/**
 * The schema drift check. Prisma's CLI cannot reach MySQL here, so the MySQL migrations are written
 * by hand; this module proves they build the same database as the SQLite ones, which Prisma's CLI
 * proves equal to the Prisma schema:
 *
 *  1. `diffSqliteWithPrismaSchema`: the Prisma CLI introspects a SQLite database built by the
 *     runner (`db pull`) and diffs that against prisma/schema.prisma (`migrate diff`).
 *  2. `introspectSqlite` / `introspectMysql` read both databases into one normalised shape (tables,
 *     columns as Prisma scalar kinds, defaults, primary keys, indexes, foreign keys) and
 *     `diffSchemas` lists every difference.
 *  3. `readMysqlMigrationsTable` reads `_prisma_migrations` so a test can check Prisma's format.
 */

// ---------------------------------------------------------------------------------------------
// The normalised shape
// ---------------------------------------------------------------------------------------------

export type ScalarKind =
  | "string"
  | "int"
  | "bigint"
  | "float"
  | "decimal"
  | "boolean"
  | "datetime"
  | "json"
  | "bytes"
  | "enum";

export type ColumnShape = {
  name: string;
  kind: ScalarKind;
  /** The allowed values, in order, for `enum` columns; null otherwise. */
  enumValues: string[] | null;
  nullable: boolean;
  /** Normalised default: null when none, `now()`, `autoincrement()` or the literal value. */
  default: string | null;
  /** The provider's own type name, for messages only (never compared). */
  nativeType: string;
};

export type IndexShape = {
  name: string;
  /** Column names in index order; a descending column reads `name DESC`. */
  columns: string[];
  unique: boolean;
};

export type ReferentialAction = "CASCADE" | "RESTRICT" | "NO ACTION" | "SET NULL" | "SET DEFAULT";

export type ForeignKeyShape = {
  /** The constraint name (Prisma always names them); null if SQLite's DDL gave none. */
  name: string | null;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
};

export type TableShape = {
  name: string;
  columns: ColumnShape[];
  primaryKey: string[];
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
};

/** Tables sorted by name, each with its parts sorted, so two shapes compare field by field. */
export type SchemaShape = { tables: TableShape[] };

const BOOKKEEPING_TABLE = "_prisma_migrations";

// ---------------------------------------------------------------------------------------------
// What the Prisma schema declares (only what SQLite cannot tell: enum and autoincrement fields)
// ---------------------------------------------------------------------------------------------

export type PrismaField = {
  name: string;
  column: string;
  type: string;
  /** `@default(autoincrement())`: SQLite's DDL cannot say (Prisma writes AUTOINCREMENT for any Int @id). */
  autoincrement: boolean;
};
export type PrismaModel = { name: string; table: string; fields: PrismaField[] };
export type PrismaSchemaInfo = {
  /** Enum name -> the values stored in the database (after `@map`), in declaration order. */
  enums: Map<string, string[]>;
  models: PrismaModel[];
};

/** Removes `//` comments (including `///` doc comments), leaving string literals alone. */
function stripComments(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && inString) i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === "/" && line[i + 1] === "/") return line.slice(0, i);
  }
  return line;
}

function mapArgument(text: string, attribute: "@map" | "@@map"): string | null {
  const m = new RegExp(`(?:^|\\s)${attribute}\\(\\s*(?:name\\s*:\\s*)?"([^"]*)"`).exec(text);
  return m?.[1] ?? null;
}

/** Parses the `enum` and `model` blocks of a Prisma schema. */
export function parsePrismaSchema(source: string): PrismaSchemaInfo {
  const lines = source.split(/\r?\n/).map((l) => stripComments(l).trim());
  const enums = new Map<string, string[]>();
  const models: PrismaModel[] = [];
  let block: { kind: "enum" | "model"; name: string; body: string[] } | null = null;
  for (const line of lines) {
    if (!block) {
      const open = /^(enum|model)\s+(\w+)\s*\{$/.exec(line);
      if (open?.[1] && open[2]) block = { kind: open[1] as "enum" | "model", name: open[2], body: [] };
      continue;
    }
    if (line !== "}") {
      if (line) block.body.push(line);
      continue;
    }
    if (block.kind === "enum") {
      enums.set(
        block.name,
        block.body
          .filter((l) => !l.startsWith("@@"))
          .map((l) => mapArgument(l, "@map") ?? l.split(/\s+/)[0] ?? l),
      );
    } else {
      const mapped = block.body.find((l) => l.startsWith("@@map"));
      const fields: PrismaField[] = [];
      for (const l of block.body) {
        const m = /^(\w+)\s+(\w+)(\[\])?\??(.*)$/.exec(l);
        if (!m?.[1] || !m[2] || m[3]) continue; // block attributes and list (relation) fields
        const attributes = m[4] ?? "";
        fields.push({
          name: m[1],
          type: m[2],
          column: mapArgument(attributes, "@map") ?? m[1],
          autoincrement: /@default\(\s*autoincrement\(\s*\)\s*\)/.test(attributes),
        });
      }
      models.push({
        name: block.name,
        table: (mapped && mapArgument(mapped, "@@map")) ?? block.name,
        fields,
      });
    }
    block = null;
  }
  return { enums, models };
}

export function readPrismaSchema(schemaPath = path.join(process.cwd(), "prisma", "schema.prisma")): PrismaSchemaInfo {
  return parsePrismaSchema(readFileSync(schemaPath, "utf8"));
}

export function fieldFor(schema: PrismaSchemaInfo, table: string, column: string): PrismaField | undefined {
  return schema.models.find((m) => m.table === table)?.fields.find((f) => f.column === column);
}

/** The enum values the schema declares for a table's column, or null if it is not an enum field. */
export function enumValuesFor(schema: PrismaSchemaInfo, table: string, column: string): string[] | null {
  const field = fieldFor(schema, table, column);
  return (field && schema.enums.get(field.type)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Normalisation shared by both providers
// ---------------------------------------------------------------------------------------------

const NUMERIC_KINDS: ReadonlySet<ScalarKind> = new Set(["int", "bigint", "float", "decimal"]);

/**
 * One spelling for a column default on either provider: SQLite's `CURRENT_TIMESTAMP` and MySQL's
 * `current_timestamp(3)` become `now()`, quoted literals lose their quotes, booleans read
 * `true`/`false` (MySQL stores 1/0) and numbers are compared as numbers (MySQL pads decimals).
 */
export function normaliseDefault(raw: string | null, kind: ScalarKind): string | null {
  if (raw == null) return null;
  let value = raw.trim();
  while (/^\(.*\)$/s.test(value)) value = value.slice(1, -1).trim();
  if (/^null$/i.test(value)) return null;
  if (/^(current_timestamp(\(\d*\))?|now\(\d*\))$/i.test(value)) return "now()";
  const quoted = /^'(.*)'$/s.exec(value);
  if (quoted) value = (quoted[1] ?? "").replace(/''/g, "'");
  if (kind === "boolean") {
    if (/^(true|1)$/i.test(value)) return "true";
    if (/^(false|0)$/i.test(value)) return "false";
  }
  if (NUMERIC_KINDS.has(kind) && value !== "" && Number.isFinite(Number(value))) {
    return String(Number(value));
  }
  return value;
}

function action(raw: string): ReferentialAction {
  const upper = raw.trim().toUpperCase();
  const known: ReferentialAction[] = ["CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"];
  const found = known.find((a) => a === upper);
  if (!found) throw new Error(`Unknown referential action "${raw}"`);
  return found;
}

function sortShape(tables: TableShape[]): SchemaShape {
  return {
    tables: tables
      .map((t) => ({
        ...t,
        columns: [...t.columns].sort((a, b) => a.name.localeCompare(b.name)),
        indexes: [...t.indexes].sort((a, b) => a.name.localeCompare(b.name)),
        foreignKeys: [...t.foreignKeys].sort((a, b) =>
          a.columns.join(",").localeCompare(b.columns.join(",")),
        ),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

// ---------------------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------------------

/** SQLite type names as Prisma writes them, to Prisma scalar kinds. */
function sqliteKind(type: string, where: string): ScalarKind {
  const base = type.trim().toUpperCase().replace(/\s*\(.*$/, "");
  const kinds: Record<string, ScalarKind> = {
    TEXT: "string",
    INTEGER: "int",
    BIGINT: "bigint",
    REAL: "float",
    DECIMAL: "decimal",
    BOOLEAN: "boolean",
    DATETIME: "datetime",
    JSONB: "json",
    JSON: "json",
    BLOB: "bytes",
  };
  const kind = kinds[base];
  if (!kind) throw new Error(`${where}: SQLite type "${type}" is not one Prisma writes; extend sqliteKind()`);
  return kind;
}

type SqliteColumnRow = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
type SqliteIndexRow = { name: string; unique: number; origin: string };
type SqliteIndexColumnRow = { name: string | null; desc: number; key: number };
type SqliteForeignKeyRow = {
  id: number;
  table: string;
  from: string;
  to: string;
  on_update: string;
  on_delete: string;
};

/** Constraint names from the CREATE TABLE text: SQLite's pragmas do not report them. */
function sqliteForeignKeyNames(createSql: string): Map<string, string> {
  const names = new Map<string, string>();
  const re = /CONSTRAINT\s+"([^"]+)"\s+FOREIGN\s+KEY\s*\(([^)]*)\)/gi;
  for (const m of createSql.matchAll(re)) {
    const columns = (m[2] ?? "").split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    if (m[1]) names.set(columns.join(","), m[1]);
  }
  return names;
}

export function introspectSqlite(file: string, schema: PrismaSchemaInfo = readPrismaSchema()): SchemaShape {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        `SELECT name, sql FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?`,
      )
      .all(BOOKKEEPING_TABLE) as { name: string; sql: string }[];
    return sortShape(
      tables.map(({ name: table, sql }) => {
        const columnRows = db.prepare("SELECT * FROM pragma_table_info(?)").all(table) as SqliteColumnRow[];
        const primaryKey = columnRows
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name);
        const columns = columnRows.map((c): ColumnShape => {
          const where = `${table}.${c.name}`;
          let kind = sqliteKind(c.type, where);
          const enumValues = kind === "string" ? enumValuesFor(schema, table, c.name) : null;
          if (enumValues) kind = "enum";
          // Prisma writes `INTEGER PRIMARY KEY AUTOINCREMENT` for every single Int @id on SQLite,
          // with or without @default(autoincrement()): only the schema knows which was meant.
          const isAuto = (kind === "int" || kind === "bigint") && fieldFor(schema, table, c.name)?.autoincrement === true;
          return {
            name: c.name,
            kind,
            enumValues,
            // A primary key column can never hold NULL in either provider.
            nullable: c.notnull === 0 && c.pk === 0,
            default: isAuto ? "autoincrement()" : normaliseDefault(c.dflt_value, kind),
            nativeType: c.type,
          };
        });
        const indexes = (db.prepare("SELECT * FROM pragma_index_list(?)").all(table) as SqliteIndexRow[])
          .filter((i) => i.origin !== "pk")
          .map((i): IndexShape => {
            const cols = db
              .prepare("SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")
              .all(i.name) as SqliteIndexColumnRow[];
            return {
              name: i.name,
              unique: i.unique === 1,
              columns: cols.map((c) => `${c.name ?? "<expression>"}${c.desc ? " DESC" : ""}`),
            };
          });
        const fkNames = sqliteForeignKeyNames(sql);
        const fkRows = db
          .prepare("SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq")
          .all(table) as SqliteForeignKeyRow[];
        const byId = new Map<number, SqliteForeignKeyRow[]>();
        for (const r of fkRows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
        const foreignKeys = [...byId.values()].map((rows): ForeignKeyShape => {
          const first = rows[0]!;
          const columns = rows.map((r) => r.from);
          return {
            name: fkNames.get(columns.join(",")) ?? null,
            columns,
            referencedTable: first.table,
            referencedColumns: rows.map((r) => r.to),
            onDelete: action(first.on_delete),
            onUpdate: action(first.on_update),
          };
        });
        return { name: table, columns, primaryKey, indexes, foreignKeys };
      }),
    );
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// MySQL / MariaDB
// ---------------------------------------------------------------------------------------------

type MysqlColumnRow = {
  tableName: string;
  columnName: string;
  dataType: string;
  columnType: string;
  isNullable: string;
  columnDefault: string | null;
  extra: string;
};
type MysqlIndexRow = {
  tableName: string;
  indexName: string;
  nonUnique: number | bigint | string;
  columnName: string | null;
  collation: string | null;
};
type MysqlForeignKeyRow = {
  tableName: string;
  constraintName: string;
  columnName: string;
  referencedTable: string;
  referencedColumn: string;
  deleteRule: string;
  updateRule: string;
};
type MysqlCheckRow = { tableName: string; checkClause: string };

/** MySQL types, to Prisma scalar kinds (`jsonColumn`: MariaDB's JSON is LONGTEXT + json_valid). */
function mysqlKind(column: MysqlColumnRow, jsonColumn: boolean): ScalarKind {
  const type = column.dataType.toLowerCase();
  if (type === "json" || (jsonColumn && type === "longtext")) return "json";
  if (type === "tinyint") return /^tinyint\(1\)/i.test(column.columnType) ? "boolean" : "int";
  const kinds: Record<string, ScalarKind> = {
    char: "string",
    varchar: "string",
    tinytext: "string",
    text: "string",
    mediumtext: "string",
    longtext: "string",
    smallint: "int",
    mediumint: "int",
    int: "int",
    bigint: "bigint",
    float: "float",
    double: "float",
    decimal: "decimal",
    date: "datetime",
    time: "datetime",
    datetime: "datetime",
    timestamp: "datetime",
    binary: "bytes",
    varbinary: "bytes",
    tinyblob: "bytes",
    blob: "bytes",
    mediumblob: "bytes",
    longblob: "bytes",
    enum: "enum",
  };
  const kind = kinds[type];
  if (!kind) {
    throw new Error(
      `${column.tableName}.${column.columnName}: MySQL type "${column.columnType}" is not one Prisma writes; extend mysqlKind()`,
    );
  }
  return kind;
}

/** `enum('A','B')` -> ["A", "B"]. */
export function parseMysqlEnum(columnType: string): string[] {
  const body = /^enum\((.*)\)$/is.exec(columnType.trim())?.[1] ?? "";
  return [...body.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? "").replace(/''/g, "'"));
}

async function withMysql<T>(url: string, fn: (conn: mariadb.Connection) => Promise<T>): Promise<T> {
  const conn = await mariadb.createConnection(mysqlConnectionConfig(url));
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

export async function introspectMysql(url: string): Promise<SchemaShape> {
  return withMysql(url, async (conn) => {
    const tableRows = await conn.query<{ name: string }[]>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> ?`,
      [BOOKKEEPING_TABLE],
    );
    const columnRows = await conn.query<MysqlColumnRow[]>(
      `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, DATA_TYPE AS dataType,
              COLUMN_TYPE AS columnType, IS_NULLABLE AS isNullable, COLUMN_DEFAULT AS columnDefault,
              EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
       ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    );
    const indexRows = await conn.query<MysqlIndexRow[]>(
      `SELECT TABLE_NAME AS tableName, INDEX_NAME AS indexName, NON_UNIQUE AS nonUnique,
              COLUMN_NAME AS columnName, COLLATION AS collation
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
       ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    );
    const fkRows = await conn.query<MysqlForeignKeyRow[]>(
      `SELECT k.TABLE_NAME AS tableName, k.CONSTRAINT_NAME AS constraintName, k.COLUMN_NAME AS columnName,
              k.REFERENCED_TABLE_NAME AS referencedTable, k.REFERENCED_COLUMN_NAME AS referencedColumn,
              r.DELETE_RULE AS deleteRule, r.UPDATE_RULE AS updateRule
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
        AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
       WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    );
    // MariaDB stores JSON as LONGTEXT with a CHECK (json_valid(`col`)); MySQL 8 reports `json`
    // directly and its CHECK_CONSTRAINTS view has no TABLE_NAME, so only ask MariaDB.
    const [{ version }] = await conn.query<[{ version: string }]>("SELECT VERSION() AS version");
    const checkRows = /mariadb/i.test(version)
      ? await conn.query<MysqlCheckRow[]>(
          `SELECT TABLE_NAME AS tableName, CHECK_CLAUSE AS checkClause
           FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
        )
      : [];
    const jsonColumns = new Set(
      checkRows.flatMap((c) => {
        const col = /^json_valid\(`?([^`)]+)`?\)$/i.exec(c.checkClause.trim())?.[1];
        return col ? [`${c.tableName}.${col}`] : [];
      }),
    );

    return sortShape(
      tableRows.map(({ name: table }): TableShape => {
        const columns = columnRows
          .filter((c) => c.tableName === table)
          .map((c): ColumnShape => {
            const kind = mysqlKind(c, jsonColumns.has(`${table}.${c.columnName}`));
            return {
              name: c.columnName,
              kind,
              enumValues: kind === "enum" ? parseMysqlEnum(c.columnType) : null,
              nullable: c.isNullable === "YES",
              default: /auto_increment/i.test(c.extra)
                ? "autoincrement()"
                : normaliseDefault(c.columnDefault, kind),
              nativeType: c.columnType,
            };
          });
        const foreignKeyRows = fkRows.filter((f) => f.tableName === table);
        const fkNames = new Set(foreignKeyRows.map((f) => f.constraintName));
        const groupedIndexes = new Map<string, MysqlIndexRow[]>();
        for (const r of indexRows.filter((i) => i.tableName === table)) {
          groupedIndexes.set(r.indexName, [...(groupedIndexes.get(r.indexName) ?? []), r]);
        }
        const primaryKey = (groupedIndexes.get("PRIMARY") ?? []).map((r) => r.columnName ?? "<expression>");
        const indexes = [...groupedIndexes.entries()]
          // PRIMARY is the primary key; an index named like a foreign key is the one MySQL creates
          // for it when no declared index starts with its columns (Prisma never declares it).
          .filter(([name]) => name !== "PRIMARY" && !fkNames.has(name))
          .map(([name, rows]): IndexShape => ({
            name,
            unique: Number(rows[0]?.nonUnique) === 0,
            columns: rows.map((r) => `${r.columnName ?? "<expression>"}${r.collation === "D" ? " DESC" : ""}`),
          }));
        const groupedFks = new Map<string, MysqlForeignKeyRow[]>();
        for (const r of foreignKeyRows) {
          groupedFks.set(r.constraintName, [...(groupedFks.get(r.constraintName) ?? []), r]);
        }
        const foreignKeys = [...groupedFks.entries()].map(([name, rows]): ForeignKeyShape => ({
          name,
          columns: rows.map((r) => r.columnName),
          referencedTable: rows[0]!.referencedTable,
          referencedColumns: rows.map((r) => r.referencedColumn),
          onDelete: action(rows[0]!.deleteRule),
          onUpdate: action(rows[0]!.updateRule),
        }));
        return { name: table, columns, primaryKey, indexes, foreignKeys };
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

const list = (values: string[]): string => `(${values.join(", ")})`;

function describeForeignKey(fk: ForeignKeyShape): string {
  return (
    `${list(fk.columns)} -> ${fk.referencedTable}${list(fk.referencedColumns)} ` +
    `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`
  );
}

function describeColumn(c: ColumnShape): string {
  const kind = c.kind === "enum" ? `enum${list(c.enumValues ?? [])}` : c.kind;
  return `${kind}${c.nullable ? "?" : ""}${c.default === null ? "" : ` default ${c.default}`} [${c.nativeType}]`;
}

function byName<T extends { name: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((i) => [i.name, i]));
}

/**
 * Every difference between two shapes, one human-readable line each; empty when they match.
 * `labels` name the two sides in the messages.
 */
export function diffSchemas(a: SchemaShape, b: SchemaShape, labels: [string, string] = ["SQLite", "MySQL"]): string[] {
  const [la, lb] = labels;
  const out: string[] = [];
  const tablesA = byName(a.tables);
  const tablesB = byName(b.tables);
  for (const name of tablesA.keys()) if (!tablesB.has(name)) out.push(`table ${name}: only in ${la}`);
  for (const name of tablesB.keys()) if (!tablesA.has(name)) out.push(`table ${name}: only in ${lb}`);

  for (const [table, ta] of tablesA) {
    const tb = tablesB.get(table);
    if (!tb) continue;
    const colsA = byName(ta.columns);
    const colsB = byName(tb.columns);
    for (const [col, ca] of colsA) {
      const cb = colsB.get(col);
      if (!cb) {
        out.push(`column ${table}.${col}: only in ${la}: ${describeColumn(ca)}`);
        continue;
      }
      const what: string[] = [];
      if (ca.kind !== cb.kind) what.push("type");
      else if (ca.kind === "enum" && list(ca.enumValues ?? []) !== list(cb.enumValues ?? [])) what.push("enum values");
      if (ca.nullable !== cb.nullable) what.push("nullability");
      if (ca.default !== cb.default) what.push("default");
      if (what.length) {
        out.push(
          `column ${table}.${col}: ${what.join(", ")} differ: ${la} ${describeColumn(ca)}, ${lb} ${describeColumn(cb)}`,
        );
      }
    }
    for (const [col, cb] of colsB) {
      if (!colsA.has(col)) out.push(`column ${table}.${col}: only in ${lb}: ${describeColumn(cb)}`);
    }

    if (list(ta.primaryKey) !== list(tb.primaryKey)) {
      out.push(`table ${table}: primary key ${la} ${list(ta.primaryKey)}, ${lb} ${list(tb.primaryKey)}`);
    }

    const idxA = byName(ta.indexes);
    const idxB = byName(tb.indexes);
    const describeIndex = (i: IndexShape): string => `${i.unique ? "unique " : ""}${list(i.columns)}`;
    for (const [name, ia] of idxA) {
      const ib = idxB.get(name);
      if (!ib) out.push(`index ${table}.${name}: only in ${la}: ${describeIndex(ia)}`);
      else if (describeIndex(ia) !== describeIndex(ib)) {
        out.push(`index ${table}.${name}: ${la} ${describeIndex(ia)}, ${lb} ${describeIndex(ib)}`);
      }
    }
    for (const [name, ib] of idxB) {
      if (!idxA.has(name)) out.push(`index ${table}.${name}: only in ${lb}: ${describeIndex(ib)}`);
    }

    const fkKey = (fk: ForeignKeyShape): string => fk.columns.join(",");
    const fksA = new Map(ta.foreignKeys.map((f) => [fkKey(f), f]));
    const fksB = new Map(tb.foreignKeys.map((f) => [fkKey(f), f]));
    for (const [key, fa] of fksA) {
      const fb = fksB.get(key);
      if (!fb) out.push(`foreign key ${table}${list(fa.columns)}: only in ${la}: ${describeForeignKey(fa)}`);
      else {
        if (describeForeignKey(fa) !== describeForeignKey(fb)) {
          out.push(
            `foreign key ${table}${list(fa.columns)}: ${la} ${describeForeignKey(fa)}, ${lb} ${describeForeignKey(fb)}`,
          );
        }
        if (fa.name !== null && fb.name !== null && fa.name !== fb.name) {
          out.push(`foreign key ${table}${list(fa.columns)}: named ${fa.name} in ${la}, ${fb.name} in ${lb}`);
        }
      }
    }
    for (const [key, fb] of fksB) {
      if (!fksA.has(key)) out.push(`foreign key ${table}${list(fb.columns)}: only in ${lb}: ${describeForeignKey(fb)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Step 1: the Prisma CLI compares a SQLite database with the Prisma schema
// ---------------------------------------------------------------------------------------------


/**
 * Whether a SQLite database matches the Prisma schema, as Prisma's own engine sees it: null when
 * it does, otherwise Prisma's summary and the SQL that would fix the database.
 *
 * Prisma 6.19 refuses `--from-url`/`--from-schema-datasource` once prisma.config.ts defines an
 * adapter (and `--from-config-datasource` only arrived in Prisma 7), so the database is first
 * introspected into a schema file (`db pull`, through the config's adapter) and that datamodel is
 * diffed against the real one.
 */
export function diffSqliteWithPrismaSchema(
  sqliteFile: string,
  schemaPath = path.join("prisma", "schema.prisma"),
  root = process.cwd(),
): string | null {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "ops-drift-pull-"));
  try {
    const pulled = path.join(scratch, "introspected.prisma");
    pullSqliteSchema(sqliteFile, pulled, root);

    // The engine still opens the adapter's database for a datamodel-to-datamodel diff: a scratch one.
    const env = { DATABASE_URL: `file:${path.join(scratch, "diff-engine.db")}` };
    const args = ["migrate", "diff", "--from-schema-datamodel", pulled, "--to-schema-datamodel", schemaPath];
    const diff = runPrismaCli([...args, "--exit-code"], env, root);
    if (diff.status === 0) return null;
    if (diff.status !== 2) throw cliFailure("prisma migrate diff", diff);
    const script = runPrismaCli([...args, "--script"], env, root);
    return `${diff.stdout.trim()}\n\nSQL that would bring the migrated database to the schema:\n${script.stdout.trim()}`;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// MySQL scratch databases and Prisma's bookkeeping table
// ---------------------------------------------------------------------------------------------

export type BookkeepingColumn = {
  name: string;
  /** Lowercase, integer display widths dropped (`int(10) unsigned` -> `int unsigned`). */
  type: string;
  nullable: boolean;
  default: string | null;
  primaryKey: boolean;
};

export type BookkeepingRow = {
  id: string;
  checksum: string;
  migrationName: string;
  logs: string | null;
  finished: boolean;
  rolledBack: boolean;
  appliedStepsCount: number;
};

/** The columns and rows of `_prisma_migrations` in a MySQL database. */
export async function readMysqlMigrationsTable(
  url: string,
): Promise<{ columns: BookkeepingColumn[]; rows: BookkeepingRow[] }> {
  return withMysql(url, async (conn) => {
    const columns = await conn.query<
      { name: string; columnType: string; isNullable: string; columnDefault: string | null; columnKey: string }[]
    >(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS columnType, IS_NULLABLE AS isNullable,
              COLUMN_DEFAULT AS columnDefault, COLUMN_KEY AS columnKey
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
       ORDER BY ORDINAL_POSITION`,
      [BOOKKEEPING_TABLE],
    );
    const rows = await conn.query<
      {
        id: string;
        checksum: string;
        migrationName: string;
        logs: string | null;
        finishedAt: Date | null;
        rolledBackAt: Date | null;
        appliedStepsCount: number | bigint;
      }[]
    >(
      `SELECT id, checksum, migration_name AS migrationName, logs, finished_at AS finishedAt,
              rolled_back_at AS rolledBackAt, applied_steps_count AS appliedStepsCount
       FROM ${BOOKKEEPING_TABLE} ORDER BY started_at, migration_name`,
    );
    return {
      columns: columns.map((c) => ({
        name: c.name,
        type: c.columnType.toLowerCase().replace(/^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/, "$1"),
        nullable: c.isNullable === "YES",
        default: c.columnDefault === null || /^null$/i.test(c.columnDefault) ? null : c.columnDefault.toLowerCase(),
        primaryKey: c.columnKey === "PRI",
      })),
      rows: rows.map((r) => ({
        id: r.id,
        checksum: r.checksum,
        migrationName: r.migrationName,
        logs: r.logs,
        finished: r.finishedAt !== null,
        rolledBack: r.rolledBackAt !== null,
        appliedStepsCount: Number(r.appliedStepsCount),
      })),
    };
  });
}
