import { Badge } from "@/components/ui/badge";
import { ENVIRONMENT_LABELS, TIER_LABELS, type Environment } from "@/lib/services/schemas";

export function EnvironmentBadge({ environment }: { environment: Environment }) {
  return <Badge tone={environment === "PRODUCTION" ? "info" : "neutral"}>{ENVIRONMENT_LABELS[environment]}</Badge>;
}

export function TierBadge({ tier }: { tier: number }) {
  return <Badge tone={tier === 1 ? "warning" : "neutral"}>{TIER_LABELS[tier] ?? `Tier ${tier}`}</Badge>;
}
