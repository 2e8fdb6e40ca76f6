import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box.ts";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };

describe("secret box", () => {
  it("round-trips a secret and never stores the plaintext", () => {
    const sealed = sealSecret("JBSWY3DPEHPK3PXP", [k1]);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(openSecret(sealed, [k1])).toBe("JBSWY3DPEHPK3PXP");
  });

  it("opens values sealed under an older key after rotation", () => {
    const old = sealSecret("seed", [k1]);
    expect(openSecret(old, [k2, k1])).toBe("seed");
    expect(sealSecret("seed", [k2, k1]).split(".")[1]).toBe("k2");
  });

  it("refuses a tampered value", () => {
    const sealed = sealSecret("seed", [k1]);
    const parts = sealed.split(".");
    parts[4] = Buffer.from("xxxx").toString("base64url");
    expect(() => openSecret(parts.join("."), [k1])).toThrow();
  });
});
