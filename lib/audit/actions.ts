/** Every kind of event the trail records; a typed list so a typo cannot invent a new one. */
export const AUDIT_ACTIONS = [
  "auth.sign_in.succeeded",
  "auth.sign_in.failed",
  "auth.signed_out",
  "auth.step_up.succeeded",
  "auth.step_up.failed",
  "session.revoked",
  "user.created",
  "user.updated",
  "service.created",
  "service.updated",
  "demo.seeded",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
