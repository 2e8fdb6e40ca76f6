/**
 * True for a unique-constraint violation (Prisma's P2002). Checked by code, not `instanceof`: the
 * SQLite and MySQL clients are separate generated packages with separate error classes.
 */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && err.code === "P2002";
}
