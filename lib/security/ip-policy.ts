import { BlockList, isIP } from "node:net";
import { db } from "../db/client.ts";
import { clientIpOf } from "../http/client-ip.ts";
import { logger } from "../observability/logger.ts";
import { parseCidr } from "./cidr.ts";

/**
 * The IP rules in force: the allow-list (empty = everyone) and the proxies whose X-Forwarded-For
 * is believed. Rules live in the IpRule table; TRUSTED_PROXIES in the environment adds proxies
 * for deployments that start behind Nginx before anyone has signed in to configure them.
 */
export type IpPolicy = {
  /** Normalised allow-list ranges; empty means every address is allowed. */
  allowRanges: string[];
  /** Normalised trusted-proxy ranges from the table and from TRUSTED_PROXIES. */
  proxyRanges: string[];
  /** null when the allow-list is empty. */
  allow: BlockList | null;
  trustedProxies: BlockList;
};

/** Liveness answers a constant "ok" and touches nothing: a 403 would reveal as much, so it is open to all. */
const LIVENESS_PATH = "/api/health";
/** Readiness reports database and migration state: only load balancers (loopback, trusted proxies) skip the list. */
const READINESS_PATH = "/api/ready";

export function envTrustedProxies(env: string | undefined = process.env.TRUSTED_PROXIES): string[] {
  return (env ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => {
      const parsed = parseCidr(raw);
      if (!parsed.ok) throw new Error(`TRUSTED_PROXIES: ${parsed.message}`);
      return parsed.cidr;
    });
}

function blockList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = "", bits = ""] = range.split("/");
    list.addSubnet(address, Number(bits), isIP(address) === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

export function compileIpPolicy(allowRanges: readonly string[], proxyRanges: readonly string[]): IpPolicy {
  return {
    allowRanges: [...allowRanges],
    proxyRanges: [...new Set(proxyRanges)],
    allow: allowRanges.length ? blockList(allowRanges) : null,
    trustedProxies: blockList(proxyRanges),
  };
}

export function inRanges(list: BlockList, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 6 ? "ipv6" : "ipv4");
}

export function isLoopback(ip: string): boolean {
  return ip === "::1" || (isIP(ip) === 4 && ip.startsWith("127."));
}

export type Caller = { peer: string | undefined; forwardedFor?: string | string[] | undefined };

export type Admission = { clientIp: string; allowed: boolean };

/** Whether a request may reach the portal, and the client address it was judged by. */
export function admit(policy: IpPolicy, caller: Caller & { path: string }): Admission {
  const clientIp = clientIpOf(caller.peer, caller.forwardedFor, policy.trustedProxies);
  if (caller.path === LIVENESS_PATH || !policy.allow) return { clientIp, allowed: true };
  if (caller.path === READINESS_PATH && (isLoopback(clientIp) || inRanges(policy.trustedProxies, clientIp))) {
    return { clientIp, allowed: true };
  }
  return { clientIp, allowed: inRanges(policy.allow, clientIp) };
}

/**
 * The address a caller would have, and whether they would still get in, under a proposed policy:
 * the check that keeps an admin from saving rules that lock themself out.
 */
export function callerUnder(policy: IpPolicy, caller: Caller): Admission {
  return admit(policy, { ...caller, path: "/" });
}

async function loadIpPolicy(): Promise<IpPolicy> {
  const rows = await db.ipRule.findMany({ select: { kind: true, cidr: true }, orderBy: { createdAt: "asc" } });
  const valid = (kind: "ALLOW" | "TRUSTED_PROXY") =>
    rows
      .filter((r) => r.kind === kind)
      .flatMap((r) => {
        const parsed = parseCidr(r.cidr);
        // Rows are validated on the way in; one edited directly in the database is skipped loudly.
        if (!parsed.ok) logger.error({ kind, cidr: r.cidr }, "ignoring an invalid IP rule");
        return parsed.ok ? [parsed.cidr] : [];
      });
  const allow = valid("ALLOW");
  const hasAllowRows = rows.some((r) => r.kind === "ALLOW");
  const policy = compileIpPolicy(allow, [...valid("TRUSTED_PROXY"), ...envTrustedProxies()]);
  // A list whose every row is unreadable must still refuse everyone, not fall open to "empty".
  if (hasAllowRows && !allow.length) policy.allow = new BlockList();
  return policy;
}

const TTL_MS = 5_000;
const RETRY_AFTER_FAILURE_MS = 1_000;

type Cache = { value?: IpPolicy; at: number; loading?: Promise<IpPolicy>; generation: number };

/**
 * Kept on globalThis: server.ts (loaded by tsx) and the admin actions (bundled by Next) are two
 * copies of this module in one process, and the admin's save must clear the cache server.ts reads.
 */
function cache(): Cache {
  const holder = globalThis as unknown as { opsPortalIpPolicy?: Cache };
  return (holder.opsPortalIpPolicy ??= { at: 0, generation: 0 });
}

/**
 * The policy in force, read at most every few seconds: a change saved on one instance reaches
 * every instance within TTL_MS. If the database cannot be read, the last known policy stays in
 * force; with none known, this throws and the server answers 503 rather than guess.
 */
export async function ipPolicy(now = Date.now()): Promise<IpPolicy> {
  const c = cache();
  if (c.value && now - c.at < TTL_MS) return c.value;
  if (!c.loading) {
    const generation = c.generation;
    const loading: Promise<IpPolicy> = loadIpPolicy()
      .then((policy) => {
        if (c.generation === generation) Object.assign(c, { value: policy, at: Date.now() });
        return policy;
      })
      .catch((err: unknown) => {
        if (!c.value) throw err;
        logger.error({ err }, "could not reload IP rules; keeping the last known ones");
        c.at = Date.now() - TTL_MS + RETRY_AFTER_FAILURE_MS;
        return c.value;
      })
      .finally(() => {
        if (c.loading === loading) c.loading = undefined;
      });
    c.loading = loading;
  }
  return c.loading;
}

/** Called after an admin changes the rules, so this instance enforces them on the next request. */
export function forgetCachedIpPolicy(): void {
  const c = cache();
  c.generation++;
  c.at = 0;
  c.loading = undefined;
}
