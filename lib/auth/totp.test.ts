import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { matchTotp, newTotpSecret } from "./totp.ts";

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (ASCII), base32-encoded.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP", () => {
  it.each(RFC_VECTORS)("agrees with RFC 6238 appendix B at T=%i", async (epoch, expected) => {
    expect(await generate({ secret: RFC_SECRET, epoch, digits: 8 })).toBe(expected);
    // The portal's 6-digit codes are the low 6 digits of the same HOTP value.
    const step = await matchTotp(RFC_SECRET, expected.slice(2), null, epoch);
    expect(step).toBe(Math.floor(epoch / 30));
  });

  it("accepts a code from one step before or after and refuses two steps away", async () => {
    const now = 1_800_000_000;
    const code = await generate({ secret: RFC_SECRET, epoch: now });
    expect(await matchTotp(RFC_SECRET, code, null, now + 30)).not.toBeNull();
    expect(await matchTotp(RFC_SECRET, code, null, now - 30)).not.toBeNull();
    expect(await matchTotp(RFC_SECRET, code, null, now + 60)).toBeNull();
  });

  it("refuses a code whose time step was already used (replay)", async () => {
    const now = 1_800_000_000;
    const code = await generate({ secret: RFC_SECRET, epoch: now });
    const step = await matchTotp(RFC_SECRET, code, null, now);
    expect(step).not.toBeNull();
    expect(await matchTotp(RFC_SECRET, code, step, now)).toBeNull();
  });

  it("refuses malformed codes without checking them", async () => {
    expect(await matchTotp(RFC_SECRET, "12345", null)).toBeNull();
    expect(await matchTotp(RFC_SECRET, "abcdef", null)).toBeNull();
  });

  it("generates seeds of at least 20 random bytes", () => {
    const seed = newTotpSecret();
    expect(seed.replace(/=+$/, "").length * 5).toBeGreaterThanOrEqual(160);
    expect(newTotpSecret()).not.toBe(seed);
  });
});
