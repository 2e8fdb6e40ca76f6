/*
 * The change-request rules' public face. Every operation: permission -> rules (with a message a
 * person can act on) -> one transaction that holds the change (store.ts mutateChange:
 * compare-and-set on revision), writes, records its audit event targeting the change, and notifies
 * whoever is needed. The operations live in small modules by concern:
 *   lifecycle.ts        create, edit, submit, schedule, cancel, reopen, close, retrospective
 *   decisions.ts        approve, reject, UAT sign-off
 *   record-evidence.ts  checklist evidence
 *   comments.ts         comments and @mentions
 *   shared.ts           what they share (stakeholders, approvers, digest refresh, audit)
 */
export type { ChangeActor, ChangeRef } from "./shared.ts";
export { linkTo, RETRO_DUE } from "./shared.ts";
export * from "./lifecycle.ts";
export * from "./decisions.ts";
export * from "./record-evidence.ts";
export * from "./comments.ts";
