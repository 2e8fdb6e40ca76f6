import { db } from "../db/client.ts";
import { makeUser, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { ZCreateChangeInput, type TCreateChangeInput } from "./schemas.ts";
import { createChange, submitChange, type ChangeActor } from "./service.ts";

/* Test helpers for lib/changes (used by its vitest files only). */

export const ctx = TEST_CONTEXT;

export const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

export function createInput(overrides: Record<string, unknown> = {}): TCreateChangeInput {
  const parsed = parseInput(ZCreateChangeInput, {
    title: "Upgrade payments to 4.2",
    serviceId: "",
    type: "NORMAL",
    risk: "LOW",
    riskAssessment: "Small dependency bump.",
    description: "Bumps the card library.",
    implementationPlan: "Deploy 4.2 blue-green.",
    rollbackPlan: "Switch traffic back to blue.",
    plannedStart: hoursFromNow(48),
    plannedEnd: hoursFromNow(49),
    version: "4.2.0",
    ...overrides,
  });
  if (!parsed.ok) throw new Error(`${parsed.message} ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.data;
}

export async function makeService(name = `svc-${Math.random().toString(36).slice(2, 8)}`, environment: "PRODUCTION" | "STAGING" = "PRODUCTION") {
  return db.service.create({ data: { name, environment, ownerTeam: "Payments", tier: 1 } });
}

/** The usual cast: a requester (operator), two release managers, an admin, two stakeholders. */
export async function makeCast() {
  const [requester, rm, rm2, admin, stake, stake2, outsider, viewer] = await Promise.all([
    makeUser("OPERATOR", { name: "Omar Operator" }),
    makeUser("RELEASE_MANAGER", { name: "Rita Release" }),
    makeUser("RELEASE_MANAGER", { name: "Rob Release" }),
    makeUser("ADMIN", { name: "Ada Admin" }),
    makeUser("STAKEHOLDER", { name: "Sam Stakeholder" }),
    makeUser("STAKEHOLDER", { name: "Sue Stakeholder" }),
    makeUser("STAKEHOLDER", { name: "Otto Outsider" }),
    makeUser("VIEWER", { name: "Victor Viewer" }),
  ]);
  const service = await makeService();
  return { requester, rm, rm2, admin, stake, stake2, outsider, viewer, service };
}

export async function submittedChange(requester: ChangeActor, serviceId: string, overrides: Record<string, unknown> = {}) {
  const created = await createChange(requester, createInput({ serviceId, stakeholderIds: [], ...overrides }), ctx);
  await submitChange(requester, { changeId: created.id }, ctx);
  return created;
}

export async function notificationsOf(userId: string) {
  return db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}
