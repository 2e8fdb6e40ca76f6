import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from "./permissions.ts";

describe("permission matrix", () => {
  it("denies everything to an unknown or missing role", () => {
    for (const p of PERMISSIONS) {
      expect(can(null, p)).toBe(false);
      expect(can("INTRUDER" as never, p)).toBe(false);
    }
  });

  it("gives ADMIN every permission", () => {
    for (const p of PERMISSIONS) expect(can("ADMIN", p)).toBe(true);
  });

  it("keeps auditors and viewers away from every operational mutation", () => {
    const mutations = PERMISSIONS.filter((p) => !/\.read$/.test(p) && !["session.manage_own", "notification.read_own"].includes(p));
    for (const p of mutations.filter((p) => !["audit.export", "compliance.signoff"].includes(p))) {
      expect(can("AUDITOR", p), p).toBe(false);
    }
    for (const p of mutations) expect(can("VIEWER", p), p).toBe(false);
  });

  it("lets only admins manage users and security settings", () => {
    for (const role of ROLES) {
      expect(can(role, "user.manage")).toBe(role === "ADMIN");
      expect(can(role, "security.manage")).toBe(role === "ADMIN");
    }
  });

  it("lists no permission twice for a role", () => {
    for (const role of ROLES) {
      const list = ROLE_PERMISSIONS[role];
      expect(new Set(list).size).toBe(list.length);
    }
  });
});
