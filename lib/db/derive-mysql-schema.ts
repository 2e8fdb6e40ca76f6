/**
 * Derives the MySQL/MariaDB schema from the SQLite source: same models, other provider and output.
 * Native column types cannot live in the shared schema (SQLite rejects them), so a field that needs
 * one carries a `// mysql: @db.Text` marker that becomes the attribute here.
 */
export function deriveMysqlSchema(sqliteSchema: string): string {
  const header =
    "// GENERATED from prisma/schema.prisma by `npm run db:generate`. Do not edit.\n";
  const body = sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "mysql"')
    .replace(/output(\s*)=\s*"\.\.\/lib\/db\/generated\/sqlite"/, 'output$1= "../../lib/db/generated/mysql"')
    .replace(/^(\s*\w+\s+\S+[^\n]*?)\s*\/\/\s*mysql:\s*(@db\.\w+(?:\([^)]*\))?)\s*$/gm, "$1 $2");
  if (body.includes('provider = "sqlite"') || !body.includes("generated/mysql")) {
    throw new Error("prisma/schema.prisma no longer has the provider/output lines the MySQL schema is derived from");
  }
  return header + body;
}
