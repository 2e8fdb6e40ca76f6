import { Badge } from "@/components/ui/badge";
import type { ServiceHealthState } from "@/lib/health/overview";

const LOOK: Record<ServiceHealthState, { tone: "neutral" | "success" | "warning" | "danger"; label: string; dot: string }> = {
  DOWN: { tone: "danger", label: "Down", dot: "bg-red-500" },
  PENDING: { tone: "warning", label: "Pending", dot: "bg-amber-500" },
  UP: { tone: "success", label: "Up", dot: "bg-emerald-500" },
  PAUSED: { tone: "neutral", label: "Paused", dot: "bg-slate-400" },
  NO_CHECKS: { tone: "neutral", label: "No checks", dot: "bg-slate-300" },
};

export const HEALTH_STATE_LABELS = Object.fromEntries(Object.entries(LOOK).map(([k, v]) => [k, v.label])) as Record<ServiceHealthState, string>;

/** A service's or check's state: a coloured dot plus the word (colour is never the only signal). */
export function HealthStateBadge({ state }: { state: ServiceHealthState }) {
  const look = LOOK[state];
  return (
    <Badge tone={look.tone}>
      <span aria-hidden="true" className={`mr-1.5 inline-block h-1.5 w-1.5 rounded-full ${look.dot}`} />
      {look.label}
    </Badge>
  );
}
