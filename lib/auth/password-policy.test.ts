import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { assertPasswordPolicy, codePointLength, passwordProblem } from "./password-policy.ts";

const person = { email: "ada.lovelace@example.test", name: "Ada Lovelace" };

describe("password policy (NIST 800-63B)", () => {
  it("accepts a long passphrase with no composition rules at all", () => {
    expect(passwordProblem("purple monkey dishwasher", person)).toBeNull();
    expect(passwordProblem("alllowercaseletters", person)).toBeNull();
  });

  it("refuses fewer than 12 characters and says how many there are", () => {
    expect(passwordProblem("short pass1", person)).toMatch(/at least 12 characters \(this one has 11\)/);
  });

  it("counts Unicode code points, not UTF-16 units or bytes", () => {
    const emoji = "🔐🔑🗝️🧩🎲🎯🚀🌈🍀🦄"; // 11 code points (🗝️ is two), 22+ UTF-16 units
    expect(emoji.length).toBeGreaterThan(12);
    expect(codePointLength(emoji)).toBe(11);
    expect(passwordProblem(emoji, person)).toMatch(/this one has 11/);
    expect(passwordProblem("çàéîõüñßøåæœ", person)).toBeNull(); // 12 accented letters
  });

  it("refuses more than 256 characters", () => {
    expect(passwordProblem("a b c d ".repeat(40), person)).toMatch(/at most 256/);
    expect(passwordProblem("x".repeat(256), {})).toBeNull();
  });

  it("refuses passwords from the common list whatever their case", () => {
    // Both are 12+ characters and on @zxcvbn-ts/language-common's passwords-common list.
    expect(passwordProblem("qwerty123456", person)).toMatch(/commonly used/);
    expect(passwordProblem("LeaveMeAlone", person)).toMatch(/commonly used/);
  });

  it("refuses passwords containing the email's local part or the person's name", () => {
    expect(passwordProblem("my-ada.lovelace-secret", person)).toMatch(/name or email/);
    expect(passwordProblem("LOVELACE and the engine", person)).toMatch(/name or email/);
    expect(passwordProblem("Ada loves analytical engines", person)).toMatch(/name or email/);
    // Very short parts (under 3 characters) are not held against anyone.
    expect(passwordProblem("an old jumper for me", { email: "jo@example.test", name: "Jo" })).toBeNull();
  });

  it("reports a problem as a field error for forms", () => {
    try {
      assertPasswordPolicy("too short", person, "password");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).fieldErrors?.password).toMatch(/at least 12/);
    }
  });
});
