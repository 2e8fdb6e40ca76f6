/**
 * vitest setup: every test file gets its own fresh database before any module creates the
 * shared Prisma client, so files run in parallel without seeing each other's rows.
 */
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { createTestDatabase } from "./test-database.ts";

const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
process.env.DATA_DIR ??= path.join(os.tmpdir(), "ops-portal-test-keys");

afterAll(async () => {
  const holder = globalThis as unknown as { opsPortalDb?: { $disconnect(): Promise<void> } };
  await holder.opsPortalDb?.$disconnect();
  await database.drop();
});
