import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { actorOf } from "../changes/shared.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { assertPermission } from "../rbac/assert.ts";
import { parseInput } from "../validation/parse.ts";
import { kickDeployments, leaseMs, runnerId } from "./loop.ts";
import { formatDeploymentNumber } from "./number.ts";
import { refreshLiveColour } from "./target.ts";
import type { DeploymentActor } from "./trigger.ts";

/*
 * Asking for a rollback. The runner does the work (runner.ts): a RUNNING deployment is marked
 * (rollbackRequestedAt) and the runner aborts and moves traffic back; a SUCCEEDED one that is
 * still the service's latest and whose colour is still live becomes ROLLING_BACK with a ROLLBACK
 * step appended and the service taken, and the runner switches traffic to its fromColour.
 */

export const ZRequestRollbackInput = z.object({
  deploymentId: z.string().trim().min(1).max(64),
  reason: z.string().trim().min(1, "Say why you are rolling back.").max(2000, "Keep the reason under 2,000 characters."),
});
export type TRequestRollbackInput = z.input<typeof ZRequestRollbackInput>;

export type RollbackResult = {
  id: string;
  number: number;
  reference: string;
  status: "RUNNING" | "ROLLING_BACK";
  /** Someone had already asked; nothing new was recorded. */
  alreadyRequested: boolean;
};

function refuse(message: string): never {
  throw new AppError("conflict", message);
}

export async function requestRollback(
  actor: DeploymentActor,
  raw: TRequestRollbackInput,
  context: RequestContext,
  source = "ui",
): Promise<RollbackResult> {
  assertPermission(actor, "deployment.rollback");
  if (source === "ui" && !(await hasFreshStepUp({ stepUpAt: actor.stepUpAt ?? null } as CurrentUser))) {
    throw new AppError("step_up_required", "Confirm it is you: enter a current code from your authenticator app.");
  }
  const parsed = parseInput(ZRequestRollbackInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  const input = parsed.data;

  const seen = await db.deployment.findUnique({ where: { id: input.deploymentId }, select: { status: true, serviceId: true } });
  if (!seen) throw new AppError("not_found", "That deployment does not exist.");
  // Rolling back a finished deployment moves live traffic: first read which colour really is live.
  if (seen.status === "SUCCEEDED") await refreshLiveColour(seen.serviceId);

  const result = await db.$transaction(
    async (tx) => {
      const d = await tx.deployment.findUniqueOrThrow({
        where: { id: input.deploymentId },
        include: {
          service: { select: { id: true, name: true, environment: true } },
          change: { select: { id: true, number: true, title: true, requesterId: true, stakeholders: { select: { userId: true } } } },
        },
      });
      const ref = formatDeploymentNumber(d.number);
      const base = { id: d.id, number: d.number, reference: ref };
      const now = new Date();

      if (d.status === "ROLLING_BACK" || (d.status === "RUNNING" && d.rollbackRequestedAt)) {
        return { ...base, status: d.status, alreadyRequested: true } as const;
      }

      if (d.status === "RUNNING") {
        const { count } = await tx.deployment.updateMany({
          where: { id: d.id, status: "RUNNING", rollbackRequestedAt: null },
          data: { rollbackRequestedAt: now, rollbackRequestedById: actor.id, rollbackReason: input.reason },
        });
        if (count === 0) refuse(`${ref} changed a moment ago; reload and look at its status.`);
      } else if (d.status === "SUCCEEDED") {
        const latest = await tx.deployment.findFirst({
          where: { serviceId: d.serviceId },
          orderBy: { number: "desc" },
          select: { id: true, number: true },
        });
        if (latest && latest.id !== d.id) {
          refuse(`${ref} is not the latest deployment of ${d.service.name} (${formatDeploymentNumber(latest.number)} is); roll back that one instead.`);
        }
        if (!d.fromColour) refuse(`${ref} was the first deployment of ${d.service.name}: there is no previous colour to go back to.`);
        const target = await tx.deploymentTarget.findUnique({ where: { serviceId: d.serviceId } });
        if (!target) refuse(`${d.service.name} no longer has a deployment target.`);
        if (target.liveColour !== d.toColour) {
          refuse(
            `Traffic of ${d.service.name} is on ${target.liveColour ? target.liveColour.toLowerCase() : "no colour"} now, not on ${d.toColour.toLowerCase()} where ${ref} went live: there is nothing of ${ref} to roll back.`,
          );
        }
        const taken = await tx.deploymentTarget.updateMany({
          where: { serviceId: d.serviceId, activeDeploymentId: null },
          data: { activeDeploymentId: d.id },
        });
        if (taken.count === 0) refuse(`Another deployment of ${d.service.name} is running; roll back when it has finished.`);
        const moved = await tx.deployment.updateMany({
          where: { id: d.id, status: "SUCCEEDED" },
          data: {
            status: "ROLLING_BACK",
            rollbackRequestedAt: now,
            rollbackRequestedById: actor.id,
            rollbackReason: input.reason,
            leaseOwner: runnerId(),
            leaseExpiresAt: new Date(now.getTime() + leaseMs()),
          },
        });
        if (moved.count === 0) refuse(`${ref} changed a moment ago; reload and look at its status.`);
        const last = await tx.deploymentStep.aggregate({ where: { deploymentId: d.id }, _max: { position: true } });
        await tx.deploymentStep.create({ data: { deploymentId: d.id, position: (last._max.position ?? 0) + 1, kind: "ROLLBACK", status: "PENDING" } });
      } else {
        const words: Record<string, string> = { ROLLED_BACK: "was rolled back", FAILED: "failed" };
        refuse(`${ref} ${words[d.status] ?? `is ${d.status.toLowerCase()}`}: there is nothing to roll back.`);
      }

      const status = d.status === "RUNNING" ? ("RUNNING" as const) : ("ROLLING_BACK" as const);
      const notified = await notify(
        tx,
        [d.triggeredById, d.change.requesterId, ...d.change.stakeholders.map((s) => s.userId)].filter((id) => id !== actor.id),
        {
          kind: "deployment.rollback_requested",
          title: `Rollback of ${ref} requested`,
          body: `${actor.name} asked to roll ${d.service.name} back to ${d.fromColour ? d.fromColour.toLowerCase() : "the previous colour"}: ${input.reason}`,
          link: `/deployments/${ref}`,
        },
      );
      await recordAudit(tx, {
        action: "deployment.rollback_requested",
        actor: actorOf(actor, source),
        context,
        target: { type: "Deployment", id: d.id },
        changes: {
          deployment: ref,
          change: formatChangeNumber(d.change.number),
          service: `${d.service.name} (${d.service.environment.toLowerCase()})`,
          reason: input.reason,
          status: { from: d.status, to: status },
          backTo: d.fromColour,
          notified: notified.map((u) => u.name),
        },
      });
      return { ...base, status, alreadyRequested: false } as const;
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
  if (!result.alreadyRequested) kickDeployments();
  return result;
}
