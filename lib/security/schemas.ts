import { z } from "zod";
import { parseCidr } from "./cidr.ts";

export const ZCidr = z
  .string()
  .trim()
  .min(1, "Enter an IP address or CIDR range, for example 203.0.113.0/24.")
  .max(64, "That is too long for an IP range.")
  .transform((text, ctx) => {
    const parsed = parseCidr(text);
    if (parsed.ok) return parsed.cidr;
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  });

export const ZIpRuleInput = z.object({
  cidr: ZCidr,
  label: z.string().trim().max(100, "Keep the label under 100 characters.").default(""),
});
export type TIpRuleInput = z.infer<typeof ZIpRuleInput>;

export const ZIpRuleIdInput = z.object({
  ruleId: z.string().trim().min(1, "Choose a rule.").max(64, "That is not a rule id."),
});
export type TIpRuleIdInput = z.infer<typeof ZIpRuleIdInput>;
