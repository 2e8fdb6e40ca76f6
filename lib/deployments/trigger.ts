import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { actorOf, type ChangeActor } from "../changes/shared.ts";
import { loadChange, mutateChange, type Tx } from "../changes/store.ts";
import { db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { AppError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { can, ROLE_LABELS } from "../rbac/permissions.ts";
import { parseInput } from "../validation/parse.ts";
import { evaluateGates, firstRefusal, FREEZE_CLEAR, GateRefusal } from "./gates.ts";
import { kickDeployments, leaseMs, runnerId } from "./loop.ts";
import { formatDeploymentNumber } from "./number.ts";
import { refreshLiveColour } from "./target.ts";
import { DEPLOYMENT_STEPS, otherColour } from "./types.ts";

/*
 * Starting a deployment: every gate on the server, then ONE transaction that holds the change
 * (mutateChange), moves it to DEPLOYING, takes the service (compare-and-set on
 * DeploymentTarget.activeDeploymentId), numbers the deployment, writes it with its six PENDING
 * steps and a lease owned by this process, audits and notifies. The runner (loop.ts) picks it up
 * after commit. A retried call with the same idempotency key gets the same deployment back.
 */

export const ZTriggerDeploymentInput = z.object({
  changeId: z.string().trim().min(1, "Choose the change to deploy.").max(64),
  idempotencyKey: z
    .string({ message: "Send an idempotency key." })
    .trim()
    .min(1, "Send an idempotency key.")
    .max(191, "Keep the idempotency key to 191 characters or fewer.")
    .regex(/^[\x21-\x7e]+$/, "The idempotency key is printable ASCII without spaces."),
  overrideReason: z.string().trim().max(2000, "Keep the override reason under 2,000 characters.").default(""),
});
export type TTriggerDeploymentInput = z.input<typeof ZTriggerDeploymentInput>;

/** Who deploys: a signed-in user (with the session's step-up time) or an API token's owner with the token's role. */
export type DeploymentActor = ChangeActor & { stepUpAt?: Date | null };

export type TriggerResult = { id: string; number: number; reference: string; created: boolean };

const isApi = (source: string) => source !== "ui";

async function ensureDeploymentCounter(): Promise<void> {
  if (await db.counter.findUnique({ where: { name: "deployment" }, select: { name: true } })) return;
  const max = await db.deployment.aggregate({ _max: { number: true } });
  try {
    await db.counter.create({ data: { name: "deployment", value: max._max.number ?? 0 } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // someone else created it first: fine
  }
}

async function existing(tx: Tx, changeId: string, idempotencyKey: string): Promise<TriggerResult | null> {
  const found = await tx.deployment.findUnique({
    where: { changeId_idempotencyKey: { changeId, idempotencyKey } },
    select: { id: true, number: true },
  });
  return found ? { ...found, reference: formatDeploymentNumber(found.number), created: false } : null;
}

export async function triggerDeployment(
  actor: DeploymentActor,
  raw: TTriggerDeploymentInput,
  context: RequestContext,
  source = "ui",
): Promise<TriggerResult> {
  const parsed = parseInput(ZTriggerDeploymentInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  const input = parsed.data;
  if (!can(actor.role, "deployment.trigger")) {
    throw new GateRefusal("permission", `Permission: your role (${ROLE_LABELS[actor.role]}) cannot deploy; operators, release managers and administrators can.`);
  }

  // A double click or a retried call: the deployment it started, whatever the gates say now.
  const again = await existing(db, input.changeId, input.idempotencyKey);
  if (again) return again;

  const stepUp = isApi(source) ? ("token" as const) : await hasFreshStepUp({ stepUpAt: actor.stepUpAt ?? null } as CurrentUser);
  const gateInput = { user: actor, hasFreshStepUp: stepUp, overrideReason: input.overrideReason };

  // The gates once before touching the target, so a refusal is quick and reads nothing remote.
  const before = await loadChange(db, input.changeId);
  const early = firstRefusal(await evaluateGates(db, { ...gateInput, change: before, now: new Date() }));
  if (early) throw early;

  // Which colour is live now, read back from the target (never trusted from the database).
  try {
    await refreshLiveColour(before.serviceId);
  } catch (err) {
    if (err instanceof AppError) throw new GateRefusal("target", `Deployment target: ${err.message}`);
    throw err;
  }

  await ensureDeploymentCounter();
  const result = await mutateChange(input.changeId, undefined, async (tx, change) => {
    const repeat = await existing(tx, change.id, input.idempotencyKey);
    if (repeat) return repeat;
    const now = new Date();
    const gates = await evaluateGates(tx, { ...gateInput, change, now });
    const refusal = firstRefusal(gates);
    if (refusal) throw refusal;

    const target = await tx.deploymentTarget.findUniqueOrThrow({ where: { serviceId: change.serviceId } });
    const fromColour = target.liveColour;
    const toColour = fromColour ? otherColour(fromColour) : "BLUE";
    const counter = await tx.counter.update({ where: { name: "deployment" }, data: { value: { increment: 1 } } });
    const reference = formatDeploymentNumber(counter.value);
    const deployment = await tx.deployment.create({
      data: {
        number: counter.value,
        changeId: change.id,
        serviceId: change.serviceId,
        version: change.version,
        status: "RUNNING",
        fromColour,
        toColour,
        triggeredById: actor.id,
        idempotencyKey: input.idempotencyKey,
        source,
        leaseOwner: runnerId(),
        leaseExpiresAt: new Date(now.getTime() + leaseMs()),
        startedAt: now,
        steps: { create: DEPLOYMENT_STEPS.map((kind, i) => ({ position: i + 1, kind, status: "PENDING" as const })) },
      },
      select: { id: true },
    });

    // One deployment per service at a time: whoever sets activeDeploymentId first has the service.
    const { count } = await tx.deploymentTarget.updateMany({
      where: { serviceId: change.serviceId, activeDeploymentId: null },
      data: { activeDeploymentId: deployment.id },
    });
    if (count === 0) {
      const holder = await tx.deploymentTarget.findUnique({ where: { serviceId: change.serviceId }, select: { activeDeploymentId: true } });
      const running = holder?.activeDeploymentId
        ? await tx.deployment.findUnique({ where: { id: holder.activeDeploymentId }, select: { number: true } })
        : null;
      throw new GateRefusal(
        "service_busy",
        `Service free: another deployment of ${change.service.name}${running ? ` (${formatDeploymentNumber(running.number)})` : ""} is running.`,
      );
    }

    // An emergency override given now is kept on the change, where the runner's preflight finds it.
    const freezeGate = gates.find((g) => g.id === "freeze");
    const overridden = freezeGate !== undefined && freezeGate.detail !== FREEZE_CLEAR;
    const newReason = overridden && !change.freezeOverrideReason.trim() ? input.overrideReason : "";
    await tx.changeRequest.update({
      where: { id: change.id },
      data: { status: "DEPLOYING", ...(newReason ? { freezeOverrideReason: newReason } : {}) },
    });

    const changeRef = formatChangeNumber(change.number);
    const notified = await notify(
      tx,
      [change.requesterId, ...change.stakeholders.map((s) => s.userId)].filter((id) => id !== actor.id),
      {
        kind: "deployment.started",
        title: `${reference} started: ${changeRef} to ${change.service.name}`,
        body: `${actor.name} started deploying ${change.version || "the change"} (“${change.title}”) to the ${toColour.toLowerCase()} colour of ${change.service.name}${fromColour ? `; ${fromColour.toLowerCase()} keeps the traffic until the switch` : ""}.`,
        link: `/deployments/${reference}`,
      },
    );
    await recordAudit(tx, {
      action: "deployment.triggered",
      actor: actorOf(actor, source),
      context,
      target: { type: "Deployment", id: deployment.id },
      changes: {
        deployment: reference,
        change: changeRef,
        changeStatus: { from: change.status, to: "DEPLOYING" },
        service: `${change.service.name} (${change.service.environment.toLowerCase()})`,
        version: change.version,
        fromColour,
        toColour,
        source,
        ...(overridden ? { freezeOverride: freezeGate.detail } : {}),
        notified: notified.map((u) => u.name),
      },
    });
    return { id: deployment.id, number: counter.value, reference, created: true };
  });
  if (result.created) kickDeployments();
  return result;
}
