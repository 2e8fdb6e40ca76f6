/*
 * The check state machine, applied to each probe result in order:
 * - a success resets the failure count; the check is UP (from PENDING or DOWN: a change);
 * - a failure counts; when the failures in a row exceed `retries` the check is DOWN (from PENDING or
 *   UP: a change). Below that it keeps its status (UP stays UP while retrying; PENDING stays PENDING).
 * So retries=0 goes DOWN on the first failure, retries=2 on the third in a row.
 */

export type CheckStatus = "PENDING" | "UP" | "DOWN";

export type CheckState = { status: CheckStatus; consecutiveFailures: number; statusSince: Date };

export type Transition = { state: CheckState; changed: { from: CheckStatus; to: CheckStatus } | null };

export function applyResult(prev: CheckState, ok: boolean, at: Date, retries: number): Transition {
  const consecutiveFailures = ok ? 0 : prev.consecutiveFailures + 1;
  let status = prev.status;
  if (ok) status = "UP";
  else if (consecutiveFailures > Math.max(0, retries)) status = "DOWN";
  if (status === prev.status) return { state: { status, consecutiveFailures, statusSince: prev.statusSince }, changed: null };
  return { state: { status, consecutiveFailures, statusSince: at }, changed: { from: prev.status, to: status } };
}
