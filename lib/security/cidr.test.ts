import { describe, expect, it } from "vitest";
import { parseCidr } from "./cidr.ts";

function cidr(text: string): string {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.cidr;
}

describe("CIDR validation and normalisation", () => {
  it("accepts IPv4 ranges and single addresses, clearing host bits", () => {
    expect(cidr("203.0.113.0/24")).toBe("203.0.113.0/24");
    expect(cidr(" 10.1.2.3/8 ")).toBe("10.0.0.0/8");
    expect(cidr("192.0.2.7")).toBe("192.0.2.7/32");
    expect(cidr("0.0.0.0/0")).toBe("0.0.0.0/0");
    expect(cidr("172.16.255.255/12")).toBe("172.16.0.0/12");
  });

  it("accepts IPv6 ranges in any spelling and stores the RFC 5952 form", () => {
    expect(cidr("2001:DB8::/32")).toBe("2001:db8::/32");
    expect(cidr("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1/128");
    expect(cidr("2001:db8:abcd:12:ffff::1/48")).toBe("2001:db8:abcd::/48");
    expect(cidr("::1")).toBe("::1/128");
    expect(cidr("fe80::/10")).toBe("fe80::/10");
    expect(cidr("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1/128");
  });

  it("turns IPv4-mapped IPv6 ranges into the IPv4 range they mean", () => {
    expect(cidr("::ffff:10.0.0.0/104")).toBe("10.0.0.0/8");
    expect(cidr("::ffff:192.0.2.1")).toBe("192.0.2.1/32");
  });

  it("rejects junk with a message that says what is wrong", () => {
    for (const junk of ["", "office", "10.0.0", "10.0.0.256/8", "10.0.0.0/8/8", "2001:db8:::1", "http://10.0.0.1"]) {
      const parsed = parseCidr(junk);
      expect(parsed.ok, junk).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain("is not an IP address or CIDR range");
    }
    expect(parseCidr("10.0.0.0/33")).toEqual({ ok: false, message: 'An IPv4 prefix length must be from 0 to 32; "10.0.0.0/33" has /33.' });
    expect(parseCidr("2001:db8::/129")).toMatchObject({ ok: false, message: expect.stringContaining("from 0 to 128") });
    expect(parseCidr("10.0.0.0/-1")).toMatchObject({ ok: false, message: expect.stringContaining("whole number") });
    expect(parseCidr("10.0.0.0/ 8")).toMatchObject({ ok: false });
  });
});
