import type { AuditAction } from "../audit/actions.ts";
import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { mutateChange } from "../changes/store.ts";
import { db, type Colour, type DeploymentStatus } from "../db/client.ts";
import { notify } from "../notifications/notify.ts";
import { kickOutbox } from "../notifications/outbox.ts";
import { appendLog } from "./log.ts";
import { deploymentLink, formatDeploymentNumber } from "./number.ts";

/*
 * The final transition of a deployment, in ONE transaction (held on the change through
 * mutateChange): the deployment's status and outcome, the change's status, the target's live
 * colour and service lock, the audit event and the notifications. Compare-and-set on the status
 * and the lease: a runner that lost its lease (another took over) changes nothing.
 */

/** Who the runner's events are attributed to in the audit trail. */
export const SYSTEM_ACTOR: AuditActor = { id: null, label: "Deployment runner" };
export const RUNNER_CONTEXT: RequestContext = { ip: "", userAgent: "ops-portal deployment runner" };

export type FinalStatus = Extract<DeploymentStatus, "SUCCEEDED" | "ROLLED_BACK" | "FAILED">;

const AUDIT_ACTION: Record<FinalStatus, AuditAction> = {
  SUCCEEDED: "deployment.succeeded",
  ROLLED_BACK: "deployment.rolled_back",
  FAILED: "deployment.failed",
};

export type FinishInput = {
  deploymentId: string;
  /** The runner that must still hold the lease. */
  owner: string;
  /** The status the deployment must still have. */
  expected: Extract<DeploymentStatus, "RUNNING" | "ROLLING_BACK">;
  status: FinalStatus;
  /** For people: what happened and where traffic is. */
  outcome: string;
  /** The colour read back from the target at the end; undefined when it could not be read. */
  liveColour: Colour | null | undefined;
  /** A rollback of a deployment that had succeeded (the change was DEPLOYED). */
  manualRollback: boolean;
  /** Figures for the audit event (durations, thresholds). */
  figures?: Record<string, unknown>;
};

export class FinishRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FinishRefused";
  }
}

/** The change's status after the deployment ends; null leaves it as it is. */
function changeStatusAfter(input: FinishInput, current: string): "DEPLOYED" | "ROLLED_BACK" | "FAILED" | null {
  if (input.manualRollback) return input.status === "ROLLED_BACK" && current === "DEPLOYED" ? "ROLLED_BACK" : null;
  if (current !== "DEPLOYING") return null;
  return input.status === "SUCCEEDED" ? "DEPLOYED" : input.status;
}

function titleOf(status: FinalStatus, ref: string, service: string, d: { version: string; toColour: Colour; fromColour: Colour | null }, live: Colour | null | undefined): string {
  const colour = (c: Colour | null | undefined) => (c ? c.toLowerCase() : "no colour");
  if (status === "SUCCEEDED") return `${ref}: ${service} ${d.version} is live on ${colour(d.toColour)}`;
  if (status === "ROLLED_BACK") return `${ref} rolled back: ${service} is on ${colour(live ?? d.fromColour)} again`;
  return `${ref} of ${service} ${d.version} failed`;
}

/**
 * Ends the deployment. Returns false (and changes nothing) when the deployment is no longer in
 * `expected` status under `owner`'s lease, or, for SUCCEEDED, when a rollback was requested
 * meanwhile (the runner then rolls back instead).
 */
export async function finishDeployment(input: FinishInput): Promise<boolean> {
  const seen = await db.deployment.findUnique({ where: { id: input.deploymentId }, select: { changeId: true } });
  if (!seen) return false;
  try {
    await mutateChange(seen.changeId, undefined, async (tx, change) => {
      const now = new Date();
      const d = await tx.deployment.findUniqueOrThrow({
        where: { id: input.deploymentId },
        include: { service: { select: { name: true } } },
      });
      const moved = await tx.deployment.updateMany({
        where: {
          id: d.id,
          status: input.expected,
          leaseOwner: input.owner,
          ...(input.status === "SUCCEEDED" ? { rollbackRequestedAt: null } : {}),
        },
        data: {
          status: input.status,
          outcome: input.outcome,
          liveColour: input.liveColour ?? null,
          // A manual rollback keeps the time the deployment itself finished; its duration is in the ROLLBACK step.
          ...(input.manualRollback && d.finishedAt ? {} : { finishedAt: now }),
          leaseOwner: null,
          leaseExpiresAt: null,
        },
      });
      if (moved.count === 0) throw new FinishRefused("the deployment moved on or its lease was taken over");

      const changeTo = changeStatusAfter(input, change.status);
      if (changeTo) await tx.changeRequest.update({ where: { id: change.id }, data: { status: changeTo } });

      await tx.deploymentTarget.updateMany({
        where: { serviceId: d.serviceId },
        data: input.liveColour === undefined ? {} : { liveColour: input.liveColour, liveCheckedAt: now },
      });
      await tx.deploymentTarget.updateMany({ where: { serviceId: d.serviceId, activeDeploymentId: d.id }, data: { activeDeploymentId: null } });

      const ref = formatDeploymentNumber(d.number);
      const recipients = [change.requesterId, d.triggeredById, ...change.stakeholders.map((s) => s.userId)];
      if (d.rollbackRequestedById) recipients.push(d.rollbackRequestedById);
      const notified = await notify(tx, recipients, {
        kind: AUDIT_ACTION[input.status],
        title: titleOf(input.status, ref, d.service.name, d, input.liveColour),
        body: input.outcome,
        link: deploymentLink(d.number),
      });
      await recordAudit(tx, {
        action: AUDIT_ACTION[input.status],
        actor: SYSTEM_ACTOR,
        context: RUNNER_CONTEXT,
        target: { type: "Deployment", id: d.id },
        changes: {
          deployment: ref,
          change: formatChangeNumber(change.number),
          service: d.service.name,
          version: d.version,
          from: d.fromColour,
          to: d.toColour,
          liveColour: input.liveColour === undefined ? "unknown (not read back)" : input.liveColour,
          status: { from: input.expected, to: input.status },
          ...(changeTo ? { changeStatus: { from: change.status, to: changeTo } } : {}),
          ...(input.manualRollback ? { manualRollback: true } : {}),
          outcome: input.outcome,
          ...input.figures,
          notified: notified.map((u) => u.name),
        },
      });
      await appendLog(tx, d.id, null, input.outcome, input.status === "SUCCEEDED" ? "info" : input.status === "ROLLED_BACK" ? "warn" : "error");
    });
  } catch (err) {
    if (err instanceof FinishRefused) return false;
    throw err;
  }
  kickOutbox();
  return true;
}
