import type { CurrentUser } from "../auth/sessions.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { db } from "../db/client.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { computeChecklist } from "../changes/checklist.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { currentApprovals, STATUS_WORDS } from "../changes/policy.ts";
import { loadChange, type LoadedChange, type Tx } from "../changes/store.ts";
import { overlappingFreezes } from "../freeze/overlap.ts";
import { can, ROLE_LABELS, type Role } from "../rbac/permissions.ts";
import { formatDeploymentNumber } from "./number.ts";
import type { GateId, GateResult } from "./types.ts";

/*
 * The gates of DESIGN.md's "the portal refuses to deploy unless", evaluated on the server. Every
 * gate is returned, passed or not, so the change page can list them before the Deploy button; the
 * trigger refuses with the first one that failed, naming it ("Change window: opens 27 Nov 14:00 UTC").
 */

export const GATE_LABELS: Record<GateId, string> = {
  permission: "Permission",
  step_up: "Step-up",
  target: "Deployment target",
  status: "Change status",
  checklist: "Checklist",
  window: "Change window",
  freeze: "Freeze windows",
  service_busy: "Service free",
};

export type GateInput = {
  change: LoadedChange;
  user: { role: Role };
  now: Date;
  /** Session users: a TOTP code entered within the step-up window. "token": an API token (created behind step-up). */
  hasFreshStepUp: boolean | "token";
  /** An emergency override reason given at trigger time (the change's own freezeOverrideReason also counts). */
  overrideReason?: string;
};

/** A refused trigger: the message names the gate, and `gate` says which for the API and the UI. */
export class GateRefusal extends AppError {
  constructor(
    readonly gate: GateId,
    message: string,
    code: ErrorCode = gate === "permission" ? "forbidden" : gate === "step_up" ? "step_up_required" : "conflict",
  ) {
    super(code, message);
    this.name = "GateRefusal";
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "27 Nov 14:00 UTC" (the year only when it is not the current one). */
export function gateTime(d: Date, now = new Date()): string {
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const year = d.getUTCFullYear() === now.getUTCFullYear() ? "" : ` ${d.getUTCFullYear()}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year} ${hh}:${mm} UTC`;
}

/** The freeze gate's detail when no freeze applies (anything else that passed is an emergency override). */
export const FREEZE_CLEAR = "none applies.";

function gate(id: GateId, ok: boolean, detail: string): GateResult {
  return { id, label: GATE_LABELS[id], ok, detail };
}

/** Every gate for deploying `change` now, in the order the trigger checks them. */
export async function evaluateGates(tx: Tx, input: GateInput): Promise<GateResult[]> {
  const { change, user, now } = input;
  const ref = formatChangeNumber(change.number);
  const results: GateResult[] = [];

  results.push(
    can(user.role, "deployment.trigger")
      ? gate("permission", true, `${ROLE_LABELS[user.role]}s may deploy.`)
      : gate("permission", false, `your role (${ROLE_LABELS[user.role]}) cannot deploy; operators, release managers and administrators can.`),
  );

  results.push(
    input.hasFreshStepUp === "token"
      ? gate("step_up", true, "not needed for an API token (tokens are created behind step-up).")
      : input.hasFreshStepUp
        ? gate("step_up", true, "confirmed with your authenticator a few minutes ago.")
        : gate("step_up", false, "confirm it is you with a current code from your authenticator app."),
  );

  const target = await tx.deploymentTarget.findUnique({
    where: { serviceId: change.serviceId },
    select: { driver: true, liveColour: true, liveCheckedAt: true, activeDeploymentId: true },
  });
  results.push(
    target
      ? gate(
          "target",
          true,
          `${target.driver.toLowerCase()} driver; live colour ${target.liveColour ? target.liveColour.toLowerCase() : "none yet"}` +
            (target.liveCheckedAt ? ` (read ${gateTime(target.liveCheckedAt, now)}).` : "."),
        )
      : gate("target", false, `${change.service.name} has no deployment target; an administrator sets one on the service page.`),
  );

  const statusOk = change.status === "APPROVED" || change.status === "SCHEDULED";
  results.push(
    statusOk
      ? gate("status", true, `${ref} is ${STATUS_WORDS[change.status]}.`)
      : gate("status", false, `${ref} is ${STATUS_WORDS[change.status] ?? change.status.toLowerCase()}; only an approved or scheduled change can be deployed.`),
  );

  const checklist = computeChecklist({
    rollbackPlan: change.rollbackPlan,
    contentDigest: change.contentDigest,
    evidence: change.evidence,
    stakeholders: change.stakeholders,
    approvals: currentApprovals(change.approvals),
  });
  const open = checklist.items.filter((i) => i.state !== "complete");
  results.push(
    checklist.complete
      ? gate("checklist", true, "every item has its evidence.")
      : gate("checklist", false, `incomplete: ${open.map((i) => `${i.label} (${i.state})`).join(", ")}.`),
  );

  const start = change.plannedStart;
  const end = change.plannedEnd;
  results.push(
    now < start
      ? gate("window", false, `opens ${gateTime(start, now)} (until ${gateTime(end, now)}).`)
      : now >= end
        ? gate("window", false, `closed ${gateTime(end, now)}; edit the window (it needs approving again).`)
        : gate("window", true, `open until ${gateTime(end, now)}.`),
  );

  // Freezes in force now, as the runner's preflight checks them again (a freeze ahead in the window
  // was the scheduler's business; the deployment itself takes minutes).
  const freezes = await overlappingFreezes(tx, change.service.environment, now, new Date(now.getTime() + 1));
  const reason = (input.overrideReason ?? "").trim() || change.freezeOverrideReason.trim();
  const first = freezes[0];
  if (!first) {
    results.push(gate("freeze", true, FREEZE_CLEAR));
  } else {
    const what = `“${first.reason}” (${gateTime(first.startsAt, now)} to ${gateTime(first.endsAt, now)})`;
    if (change.type !== "EMERGENCY") {
      results.push(gate("freeze", false, `the freeze ${what} is in force; only an emergency change may override it.`));
    } else if (!reason) {
      results.push(gate("freeze", false, `the freeze ${what} is in force; give an override reason to deploy this emergency change anyway.`));
    } else {
      results.push(gate("freeze", true, `the freeze ${what} is overridden for this emergency change: ${reason}`));
    }
  }

  if (target?.activeDeploymentId) {
    const running = await tx.deployment.findUnique({ where: { id: target.activeDeploymentId }, select: { number: true } });
    results.push(
      gate(
        "service_busy",
        false,
        `another deployment of ${change.service.name}${running ? ` (${formatDeploymentNumber(running.number)})` : ""} is running.`,
      ),
    );
  } else {
    results.push(gate("service_busy", true, `no other deployment of ${change.service.name} is running.`));
  }
  return results;
}

/** The refusal for the first failed gate, or null when every gate passed. */
export function firstRefusal(gates: readonly GateResult[]): GateRefusal | null {
  const failed = gates.find((g) => !g.ok);
  return failed ? new GateRefusal(failed.id, `${failed.label}: ${failed.detail}`) : null;
}

/** The gates as the change page lists them for the signed-in user, before the Deploy button. */
export async function gatesForChange(user: CurrentUser, changeId: string, now = new Date()): Promise<GateResult[]> {
  const change = await loadChange(db, changeId);
  return evaluateGates(db, { change, user, now, hasFreshStepUp: await hasFreshStepUp(user, now) });
}
