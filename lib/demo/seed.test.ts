import { describe, expect, it, vi } from "vitest";
import { verifyAuditChain } from "../audit/verify.ts";
import { db } from "../db/client.ts";
import { DEMO_SERVICES, DEMO_USERS, seedDemo } from "./seed.ts";

// The whole demo seed writes 30 days of health history and business metrics: on a loaded CI
// machine with MariaDB that takes longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe("demo data", () => {
  it("loads every demo user enrolled in MFA and the services, and a second run changes nothing", async () => {
    expect(await seedDemo(db)).toEqual({ users: DEMO_USERS.length, services: DEMO_SERVICES.length });
    const snapshot = async () => ({
      users: await db.user.findMany({ orderBy: { email: "asc" } }),
      services: await db.service.findMany({ orderBy: { id: "asc" } }),
      events: await db.auditEvent.count(),
    });
    const first = await snapshot();
    expect(first.users.map((u) => [u.email, u.role])).toEqual(
      [...DEMO_USERS].sort((a, b) => a.email.localeCompare(b.email)).map((u) => [u.email, u.role]),
    );
    expect(first.users.every((u) => u.totpSecretEnc && u.passwordHash?.startsWith("$argon2id$"))).toBe(true);
    const named = await db.serviceStakeholder.findMany({
      where: { user: { email: "stakeholder@demo.local" } },
      select: { service: { select: { name: true, environment: true } } },
    });
    expect(named.map((n) => `${n.service.name}/${n.service.environment}`).sort()).toEqual([
      "checkout-web/PRODUCTION",
      "payments-api/PRODUCTION",
    ]);
    expect(first.services.every((s) => s.repoUrl.startsWith("https://git.example.internal/"))).toBe(true);
    expect(await seedDemo(db)).toEqual({ users: 0, services: 0 });
    expect(await snapshot()).toEqual(first);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });
});
