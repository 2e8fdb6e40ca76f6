import { recordAudit } from "../audit/record.ts";
import { hashPassword } from "../auth/password.ts";
import { sealSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";
import { demoBackendConfig, type DemoBackendConfig } from "./backends.ts";
import { seedDemoBusinessMetrics } from "./seed-business-metrics.ts";
import { seedDemoChanges } from "./seed-changes.ts";
import { seedDemoTargets } from "./seed-deployments.ts";
import { seedDemoHealth } from "./seed-health.ts";

/** Demo-only credentials, documented in the README. Never used outside `npm run demo` and tests. */
export const DEMO_PASSWORD = "demo-Passw0rd!";
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.local", name: "Ada Admin", role: "ADMIN" },
  { email: "ops@demo.local", name: "Omar Operator", role: "OPERATOR" },
  { email: "release@demo.local", name: "Rita Release", role: "RELEASE_MANAGER" },
  { email: "stakeholder@demo.local", name: "Sam Stakeholder", role: "STAKEHOLDER" },
  { email: "auditor@demo.local", name: "Audrey Auditor", role: "AUDITOR" },
  { email: "viewer@demo.local", name: "Victor Viewer", role: "VIEWER" },
];

type DemoService = {
  name: string;
  environment: "PRODUCTION" | "STAGING";
  ownerTeam: string;
  tier: number;
  description: string;
  repoUrl: string;
  runbookUrl: string;
  dashboardUrl: string;
  /** Emails of demo users named as the service's stakeholders. */
  stakeholders?: string[];
};

/** Plausible internal addresses for a demo service's repository, runbook and dashboard. */
function demoLinks(team: string, name: string): Pick<DemoService, "repoUrl" | "runbookUrl" | "dashboardUrl"> {
  const slug = team.toLowerCase();
  return {
    repoUrl: `https://git.example.internal/${slug}/${name}`,
    runbookUrl: `https://wiki.example.internal/runbooks/${name}`,
    dashboardUrl: `https://grafana.example.internal/d/${name}`,
  };
}

const SAM = ["stakeholder@demo.local"];

export const DEMO_SERVICES: DemoService[] = [
  { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1, description: "Card and wallet payments", ...demoLinks("Payments", "payments-api"), stakeholders: SAM },
  { name: "payments-api", environment: "STAGING", ownerTeam: "Payments", tier: 1, description: "Card and wallet payments", ...demoLinks("Payments", "payments-api") },
  { name: "checkout-web", environment: "PRODUCTION", ownerTeam: "Storefront", tier: 1, description: "Customer checkout front end", ...demoLinks("Storefront", "checkout-web"), stakeholders: SAM },
  { name: "identity", environment: "PRODUCTION", ownerTeam: "Platform", tier: 1, description: "Customer accounts and sign-in", ...demoLinks("Platform", "identity") },
  { name: "orders-service", environment: "PRODUCTION", ownerTeam: "Fulfilment", tier: 2, description: "Order lifecycle and invoicing", ...demoLinks("Fulfilment", "orders-service") },
  { name: "search", environment: "PRODUCTION", ownerTeam: "Storefront", tier: 2, description: "Catalogue search (OpenSearch)", ...demoLinks("Storefront", "search") },
  { name: "notifications", environment: "PRODUCTION", ownerTeam: "Platform", tier: 3, description: "Email and SMS delivery", ...demoLinks("Platform", "notifications") },
  { name: "reporting", environment: "STAGING", ownerTeam: "Data", tier: 3, description: "Nightly business reports", ...demoLinks("Data", "reporting") },
];

const SYSTEM = { id: null, label: "demo seed" };
const NO_REQUEST = { ip: "", userAgent: "npm run demo" };

/**
 * Loads the demo users and services, their deployment targets on the demo backends
 * (lib/demo/seed-deployments.ts), then demo change requests (lib/demo/seed-changes.ts) while there
 * are none. Idempotent: it only creates what is missing and never alters existing rows (except a
 * demo target whose backends moved to other ports), so a second run changes nothing (not even the
 * audit trail).
 */
export async function seedDemo(db: Db, backends: DemoBackendConfig = demoBackendConfig()): Promise<{ users: number; services: number }> {
  const existingUsers = new Set(
    (await db.user.findMany({ select: { email: true } })).map((u) => u.email),
  );
  const missingUsers = DEMO_USERS.filter((u) => !existingUsers.has(u.email));
  const passwordHash = missingUsers.length ? await hashPassword(DEMO_PASSWORD) : "";
  const existingServices = new Set(
    (await db.service.findMany({ select: { name: true, environment: true } })).map(
      (s) => `${s.name}/${s.environment}`,
    ),
  );
  const missingServices = DEMO_SERVICES.filter((s) => !existingServices.has(`${s.name}/${s.environment}`));
  if (missingUsers.length || missingServices.length) await seedUsersAndServices(db, missingUsers, missingServices, passwordHash);
  await seedDemoTargets(db, backends);
  await seedDemoBusinessMetrics(db); // orders, revenue, sign-ups: 30 days hourly + the last day every 5 minutes
  // Demo change requests in every state, only into a portal that has none yet.
  await seedDemoChanges(db, new Date(), backends);
  // Health checks on the demo backends with 30 days of history (after the changes: DEP-000001 is on its charts).
  await seedDemoHealth(db, backends);
  return { users: missingUsers.length, services: missingServices.length };
}

async function seedUsersAndServices(
  db: Db,
  missingUsers: typeof DEMO_USERS,
  missingServices: DemoService[],
  passwordHash: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const u of missingUsers) {
      const user = await tx.user.create({
        data: { ...u, passwordHash, totpSecretEnc: sealSecret(DEMO_TOTP_SECRET) },
        select: { id: true },
      });
      await recordAudit(tx, {
        action: "user.created",
        actor: SYSTEM,
        context: NO_REQUEST,
        target: { type: "User", id: user.id },
        changes: { email: u.email, role: u.role, mfa: "enrolled (demo secret)" },
      });
    }
    for (const { stakeholders: emails = [], ...s } of missingServices) {
      // Stakeholders are named only when the service is created, so a person an admin removed later stays removed.
      const people = await tx.user.findMany({ where: { email: { in: emails } }, select: { id: true, name: true } });
      const service = await tx.service.create({
        data: { ...s, stakeholders: { create: people.map((p) => ({ userId: p.id })) } },
        select: { id: true },
      });
      await recordAudit(tx, {
        action: "service.created",
        actor: SYSTEM,
        context: NO_REQUEST,
        target: { type: "Service", id: service.id },
        changes: { ...s, stakeholders: people.map((p) => p.name) },
      });
    }
  }, { maxWait: 10_000, timeout: 30_000 }); // a loaded CI machine with MariaDB can take over Prisma's default 5 s
}
