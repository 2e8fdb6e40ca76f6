import { dictionary } from "@zxcvbn-ts/language-common";
import { AppError } from "../errors.ts";

/**
 * Password rules per NIST SP 800-63B §3.1.1.2: length matters, composition rules do not. At least
 * 12 characters (counted as Unicode code points, so "é" or an emoji is one character), at most 256,
 * any characters allowed, and refused when it is a commonly used password (the ~49,000 of the
 * zxcvbn common list) or contains the person's own email name or name.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// Parts of an email or name shorter than this are too common inside words to refuse on.
const MIN_PERSONAL_PART = 3;

let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  return (common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase())));
}

export function codePointLength(value: string): number {
  return [...value].length;
}

function lettersAndDigits(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

function personalParts(person: { email?: string; name?: string }): string[] {
  const local = (person.email ?? "").split("@")[0] ?? "";
  const name = person.name ?? "";
  const parts = [local, ...local.split(/[._+-]/), name, ...name.split(/\s+/)];
  return [...new Set(parts.map(lettersAndDigits))].filter((p) => codePointLength(p) >= MIN_PERSONAL_PART);
}

/**
 * What is wrong with `password` for this person, written for them, or null when it is acceptable.
 * The checks run in order, so the first problem is the one to fix.
 */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | null {
  const length = codePointLength(password);
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}). A few unrelated words make a long password that is easy to remember.`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${PASSWORD_MAX_LENGTH} characters (this one has ${length}).`;
  }
  if (commonPasswords().has(password.toLowerCase())) {
    return "This is one of the most commonly used passwords, so it is among the first an attacker tries. Choose another.";
  }
  const flat = lettersAndDigits(password);
  if (personalParts(person).some((part) => flat.includes(part))) {
    return "Do not use your name or email address in your password.";
  }
  return null;
}

/** For services: throws the policy problem as a field error on `field`, so the form shows it in place. */
export function assertPasswordPolicy(
  password: string,
  person: { email?: string; name?: string },
  field = "password",
): void {
  const problem = passwordProblem(password, person);
  if (problem) throw new AppError("invalid_input", problem, { [field]: problem });
}
