/** The policy in one sentence (lib/auth/password-policy.ts), shown under every new-password field. */
export const PASSWORD_HINT =
  "At least 12 characters; no other rules. A few unrelated words make a strong password that is easy to remember. Common passwords and your own name are refused.";
