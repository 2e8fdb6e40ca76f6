import { afterEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { admit, compileIpPolicy, envTrustedProxies, forgetCachedIpPolicy, ipPolicy } from "./ip-policy.ts";

const office = compileIpPolicy(["203.0.113.0/24", "2001:db8::/32"], ["10.0.0.5/32"]);

describe("client IP decisions", () => {
  it("allows every client when the allow-list is empty", () => {
    expect(admit(compileIpPolicy([], []), { peer: "198.51.100.9", path: "/sign-in" })).toEqual({
      clientIp: "198.51.100.9",
      allowed: true,
    });
  });

  it("allows a client inside the list and refuses one outside it, IPv4 and IPv6", () => {
    expect(admit(office, { peer: "203.0.113.40", path: "/" }).allowed).toBe(true);
    expect(admit(office, { peer: "::ffff:203.0.113.40", path: "/" }).allowed).toBe(true);
    expect(admit(office, { peer: "2001:db8:1::7", path: "/" }).allowed).toBe(true);
    expect(admit(office, { peer: "198.51.100.9", path: "/" })).toEqual({ clientIp: "198.51.100.9", allowed: false });
    expect(admit(office, { peer: "2001:db9::1", path: "/api/v1/changes" }).allowed).toBe(false);
  });

  it("ignores a spoofed X-Forwarded-For from a peer that is not a trusted proxy", () => {
    const decision = admit(office, { peer: "198.51.100.9", forwardedFor: "203.0.113.40", path: "/sign-in" });
    expect(decision).toEqual({ clientIp: "198.51.100.9", allowed: false });
  });

  it("believes X-Forwarded-For from a trusted proxy and judges the address it names", () => {
    expect(admit(office, { peer: "10.0.0.5", forwardedFor: "203.0.113.40", path: "/" })).toEqual({
      clientIp: "203.0.113.40",
      allowed: true,
    });
    expect(admit(office, { peer: "10.0.0.5", forwardedFor: "203.0.113.40, 198.51.100.9", path: "/" })).toEqual({
      clientIp: "198.51.100.9",
      allowed: false,
    });
  });

  it("keeps liveness open to all and readiness open to loopback and trusted proxies only", () => {
    expect(admit(office, { peer: "198.51.100.9", path: "/api/health" }).allowed).toBe(true);
    expect(admit(office, { peer: "127.0.0.1", path: "/api/ready" }).allowed).toBe(true);
    expect(admit(office, { peer: "::1", path: "/api/ready" }).allowed).toBe(true);
    expect(admit(office, { peer: "10.0.0.5", path: "/api/ready" }).allowed).toBe(true);
    expect(admit(office, { peer: "10.0.0.5", forwardedFor: "198.51.100.9", path: "/api/ready" }).allowed).toBe(false);
    expect(admit(office, { peer: "198.51.100.9", path: "/api/ready" }).allowed).toBe(false);
    expect(admit(office, { peer: "127.0.0.1", path: "/api/metrics" }).allowed).toBe(false);
  });

  it("reads TRUSTED_PROXIES as normalised ranges and refuses a malformed one", () => {
    expect(envTrustedProxies(" 10.0.0.1, 2001:DB8::/64 ")).toEqual(["10.0.0.1/32", "2001:db8::/64"]);
    expect(envTrustedProxies(undefined)).toEqual([]);
    expect(() => envTrustedProxies("10.0.0.1, nginx")).toThrow(/TRUSTED_PROXIES: "nginx" is not an IP address/);
  });
});

describe("the cached policy", () => {
  afterEach(async () => {
    await db.ipRule.deleteMany();
    forgetCachedIpPolicy();
  });

  it("reads rules from the table and the environment, and sees a change once the cache is forgotten", async () => {
    const before = process.env.TRUSTED_PROXIES;
    process.env.TRUSTED_PROXIES = "10.9.9.9";
    try {
      forgetCachedIpPolicy();
      expect((await ipPolicy()).allow).toBeNull();
      await db.ipRule.create({ data: { kind: "ALLOW", cidr: "203.0.113.0/24" } });
      await db.ipRule.create({ data: { kind: "TRUSTED_PROXY", cidr: "10.0.0.5/32" } });
      // Still cached: another instance's change shows up only after the TTL.
      expect((await ipPolicy()).allow).toBeNull();
      expect((await ipPolicy(Date.now() + 6_000)).allowRanges).toEqual(["203.0.113.0/24"]);
      forgetCachedIpPolicy();
      const policy = await ipPolicy();
      expect(policy.proxyRanges).toEqual(["10.0.0.5/32", "10.9.9.9/32"]);
      expect(admit(policy, { peer: "10.9.9.9", forwardedFor: "203.0.113.1", path: "/" }).allowed).toBe(true);
    } finally {
      if (before === undefined) delete process.env.TRUSTED_PROXIES;
      else process.env.TRUSTED_PROXIES = before;
    }
  });

  it("refuses everyone rather than falling open when every allow-list row is unreadable", async () => {
    await db.ipRule.create({ data: { kind: "ALLOW", cidr: "not-a-range" } });
    forgetCachedIpPolicy();
    const policy = await ipPolicy();
    expect(policy.allow).not.toBeNull();
    expect(admit(policy, { peer: "203.0.113.1", path: "/" }).allowed).toBe(false);
  });
});
