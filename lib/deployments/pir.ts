import { db as portalDb, type Colour, type Db } from "../db/client.ts";
import { formatDeploymentNumber } from "./number.ts";

/*
 * The standards' post-deployment tasks (service verification, performance validation, security
 * confirmation, documentation update) feed the change's post-implementation review: from what the
 * change's last deployment recorded (its steps' figures, the live colour read back), its security
 * scan evidence and its service's runbook, this builds a first draft of each of the four review
 * fields. The close form pre-fills them; the person edits before submitting, so nothing here is
 * ever recorded as the review by itself.
 */

export type PirSuggestions = {
  /** The deployment the text is drawn from ("DEP-000042"), or null when the change has none. */
  deployment: string | null;
  serviceVerification: string;
  performanceValidation: string;
  securityConfirmation: string;
  documentationUpdate: string;
};

type Detail = Record<string, unknown>;

function parseDetail(json: string): Detail {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Detail) : {};
  } catch {
    return {};
  }
}

/** The first of `keys` that holds a finite number. */
function num(d: Detail, ...keys: string[]): number | null {
  for (const k of keys) {
    const v = d[k];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return null;
}

function str(d: Detail, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = d[k];
    if (typeof v === "string" && v.trim()) return v.trim();
  }
  return null;
}

const colourName = (c: Colour | string | null | undefined) => (c ? String(c).toLowerCase() : null);
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const seconds = (ms: number) => `${round(ms / 1000)} s`;

type Step = { kind: string; status: string; summary: string; detail: string; startedAt: Date | null; finishedAt: Date | null };

function healthSentence(step: Step | undefined, toColour: string): string | null {
  if (!step || step.status !== "SUCCEEDED") return null;
  const d = parseDetail(step.detail);
  const passed = num(d, "passed", "successes", "consecutive", "okCount");
  const required = num(d, "required", "requiredSuccesses", "healthSuccesses", "needed");
  const elapsed = num(d, "elapsedMs", "durationMs", "tookMs");
  const url = str(d, "url");
  if (passed !== null || required !== null) {
    const count = passed !== null && required !== null ? `${passed}/${required}` : String(passed ?? required);
    return `${count} consecutive health checks of ${toColour}${url ? ` (${url})` : ""} passed${elapsed !== null ? ` in ${seconds(elapsed)}` : ""} before it took traffic.`;
  }
  return step.summary ? `Health checks of ${toColour}: ${step.summary.replace(/\.$/, "")}.` : null;
}

function validationSentence(step: Step | undefined, target: { maxErrorRatePct: number; maxP95LatencyMs: number } | null): string | null {
  if (!step || (step.status !== "SUCCEEDED" && step.status !== "FAILED")) return null;
  const d = parseDetail(step.detail);
  const errorRate = num(d, "errorRatePct", "errorRate");
  const p95 = num(d, "p95Ms", "p95LatencyMs", "p95");
  const p50 = num(d, "p50Ms", "p50LatencyMs", "p50");
  const samples = num(d, "samples", "requests", "count");
  const windowMs = num(d, "windowMs", "validationWindowMs");
  const maxError = num(d, "maxErrorRatePct") ?? target?.maxErrorRatePct ?? null;
  const maxP95 = num(d, "maxP95LatencyMs", "maxP95Ms") ?? target?.maxP95LatencyMs ?? null;
  if (errorRate === null && p95 === null) {
    return step.summary ? `Monitoring validation: ${step.summary.replace(/\.$/, "")}.` : null;
  }
  const parts: string[] = [];
  if (errorRate !== null) parts.push(`error rate ${round(errorRate, 2)}%${maxError !== null ? ` (threshold ${maxError}%)` : ""}`);
  if (p95 !== null) parts.push(`p95 latency ${Math.round(p95)} ms${maxP95 !== null ? ` (threshold ${maxP95} ms)` : ""}`);
  if (p50 !== null) parts.push(`p50 ${Math.round(p50)} ms`);
  const over = [windowMs !== null ? `over ${seconds(windowMs)}` : null, samples !== null ? `${samples} samples` : null].filter(Boolean).join(", ");
  const within =
    typeof d.ok === "boolean"
      ? d.ok
      : (errorRate === null || maxError === null || errorRate <= maxError) && (p95 === null || maxP95 === null || p95 <= maxP95);
  const verdict = step.status === "SUCCEEDED" && within ? "within thresholds" : "outside the thresholds";
  return `Monitoring validation of the new colour${over ? ` ${over}` : ""}: ${parts.join(", ")}: ${verdict}.`;
}

/**
 * Suggested text for the change's post-implementation review, from its last deployment. Empty
 * strings where there is nothing to go on (the person writes those themselves).
 */
export async function pirSuggestions(changeId: string, db: Db = portalDb): Promise<PirSuggestions> {
  const change = await db.changeRequest.findUnique({
    where: { id: changeId },
    select: {
      version: true,
      service: {
        select: {
          name: true,
          runbookUrl: true,
          deploymentTarget: { select: { maxErrorRatePct: true, maxP95LatencyMs: true, healthPath: true } },
        },
      },
      evidence: {
        where: { item: "SECURITY_SCAN", supersededAt: null },
        orderBy: { recordedAt: "desc" },
        take: 1,
        select: { result: true, summary: true, link: true, recordedAt: true, file: { select: { fileName: true } } },
      },
      deployments: {
        orderBy: [{ startedAt: "desc" }, { number: "desc" }],
        take: 1,
        select: {
          number: true,
          version: true,
          status: true,
          toColour: true,
          fromColour: true,
          liveColour: true,
          liveAt: true,
          finishedAt: true,
          outcome: true,
          steps: { orderBy: { position: "asc" }, select: { kind: true, status: true, summary: true, detail: true, startedAt: true, finishedAt: true } },
        },
      },
    },
  });
  const empty: PirSuggestions = { deployment: null, serviceVerification: "", performanceValidation: "", securityConfirmation: "", documentationUpdate: "" };
  if (!change) return empty;

  const deployment = change.deployments[0];
  const scan = change.evidence[0];
  const service = change.service;
  const version = deployment?.version || change.version;

  const securityConfirmation = scan
    ? scan.result === "PASSED"
      ? `Security scan passed before the deployment${scan.summary ? `: ${scan.summary}` : ""}${scan.link ? ` (${scan.link})` : scan.file ? ` (${scan.file.fileName})` : ""}, recorded ${utc(scan.recordedAt)}. No new findings since the release.`
      : `The security scan on record FAILED${scan.summary ? `: ${scan.summary}` : ""}${scan.link ? ` (${scan.link})` : ""}. Say how the finding was dealt with.`
    : "";

  const live = colourName(deployment?.liveColour);
  // "orders-service 8.0.0", whether or not the version already names the service.
  const release = !version ? `the new version of ${service.name}` : version.startsWith(service.name) ? version : `${service.name} ${version}`;
  const documentationUpdate = service.runbookUrl
    ? `Runbook ${service.runbookUrl} updated: ${release} is live${live ? ` on ${live}` : ""}${deployment?.finishedAt ? ` since ${utc(deployment.finishedAt)}` : ""}.`
    : `${service.name} has no runbook link: add one on the service page, with ${release} noted.`;

  if (!deployment) return { ...empty, securityConfirmation, documentationUpdate };

  const ref = formatDeploymentNumber(deployment.number);
  const to = colourName(deployment.toColour) ?? "the new colour";
  const byKind = new Map(deployment.steps.map((s) => [s.kind, s]));
  // The last read-back a finished step recorded (DONE, or ROLLBACK after it), else the deployment's own.
  const readBack =
    [...deployment.steps]
      .reverse()
      .filter((s) => s.status === "SUCCEEDED")
      .map((s) => str(parseDetail(s.detail), "readBack", "liveColour"))
      .find(Boolean) ?? live;

  const verification: string[] = [];
  if (deployment.status === "SUCCEEDED") {
    verification.push(`${ref} deployed ${version} blue-green to ${to}.`);
  } else {
    verification.push(`${ref} ended ${deployment.status.toLowerCase().replace("_", " ")}${deployment.outcome ? `: ${deployment.outcome.replace(/\.$/, "")}` : ""}.`);
  }
  const health = healthSentence(byKind.get("HEALTH_CHECK"), to);
  if (health) verification.push(health);
  const timeToLive = num(parseDetail(byKind.get("SWITCH")?.detail ?? "{}"), "timeToLiveMs");
  if (readBack) {
    const moved = deployment.liveAt ? ` (traffic moved ${utc(deployment.liveAt)}${timeToLive !== null ? `, ${seconds(timeToLive)} after the trigger` : ""})` : "";
    verification.push(`Live colour read back from the target afterwards: ${readBack.toLowerCase()}${moved}.`);
  }

  const performanceValidation = validationSentence(byKind.get("VALIDATE"), service.deploymentTarget) ?? "";

  return {
    deployment: ref,
    serviceVerification: verification.join(" "),
    performanceValidation,
    securityConfirmation,
    documentationUpdate,
  };
}
