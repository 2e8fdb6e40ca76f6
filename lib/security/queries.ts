import { db } from "../db/client.ts";
import { envTrustedProxies } from "./ip-policy.ts";

export type IpRuleRow = { id: string; cidr: string; label: string; createdAt: Date; createdBy: string | null };

export type IpRules = {
  allow: IpRuleRow[];
  trustedProxies: IpRuleRow[];
  /** From the TRUSTED_PROXIES environment variable: shown, but changed only in the deployment. */
  envTrustedProxies: string[];
};

export async function listIpRules(): Promise<IpRules> {
  const rows = await db.ipRule.findMany({
    select: { id: true, kind: true, cidr: true, label: true, createdAt: true, createdById: true },
    orderBy: { createdAt: "asc" },
  });
  const creators = new Map(
    (
      await db.user.findMany({
        where: { id: { in: [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))] } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  );
  const toRow = ({ id, cidr, label, createdAt, createdById }: (typeof rows)[number]): IpRuleRow => ({
    id,
    cidr,
    label,
    createdAt,
    createdBy: createdById ? (creators.get(createdById) ?? null) : null,
  });
  return {
    allow: rows.filter((r) => r.kind === "ALLOW").map(toRow),
    trustedProxies: rows.filter((r) => r.kind === "TRUSTED_PROXY").map(toRow),
    envTrustedProxies: envTrustedProxies(),
  };
}
