import { ROLE_LABELS, ROLES, type Role } from "@/lib/rbac/permissions";

/** One line per role for people choosing one; the permission matrix has the exact rules. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  ADMIN: "Users, roles, security settings and API tokens, plus everything else.",
  OPERATOR: "Raises changes, runs deployments and rollbacks, manages services, alerts and on-call.",
  RELEASE_MANAGER: "Approves or rejects changes, manages freeze windows, may deploy.",
  STAKEHOLDER: "Approves changes they are named on, signs off UAT, reads dashboards.",
  AUDITOR: "Reads everything, exports the audit trail, signs compliance reviews.",
  VIEWER: "Reads dashboards.",
};

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
