import { describe, expect, it } from "vitest";
import { cidrList, clientIpOf } from "./client-ip.ts";

describe("client IP", () => {
  const proxies = cidrList(["10.0.0.0/8", "::1"]);

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(clientIpOf("203.0.113.9", "198.51.100.1", proxies)).toBe("203.0.113.9");
  });

  it("takes the right-most untrusted hop when the peer is a trusted proxy", () => {
    expect(clientIpOf("10.1.2.3", "198.51.100.1, 203.0.113.7, 10.9.9.9", proxies)).toBe("203.0.113.7");
  });

  it("understands IPv4-mapped IPv6 peers and IPv6 proxies", () => {
    expect(clientIpOf("::ffff:192.0.2.5", undefined, proxies)).toBe("192.0.2.5");
    expect(clientIpOf("::1", "2001:db8::7", proxies)).toBe("2001:db8::7");
  });

  it("rejects text that is not an address or range", () => {
    expect(() => cidrList(["not-an-ip"])).toThrow(/not an IP address/);
  });
});
