import { Badge } from "@/components/ui/badge";
import type { DisplayState } from "@/lib/health/check-queries";

const LOOK: Record<DisplayState, { tone: "success" | "danger" | "neutral" | "info"; label: string; dot: string }> = {
  UP: { tone: "success", label: "Up", dot: "bg-emerald-500" },
  DOWN: { tone: "danger", label: "Down", dot: "bg-red-500" },
  PENDING: { tone: "info", label: "Pending", dot: "bg-indigo-400" },
  PAUSED: { tone: "neutral", label: "Paused", dot: "bg-slate-400" },
};

/** A check's state in words and colour (the word carries the meaning). */
export function CheckStateBadge({ state }: { state: DisplayState }) {
  const look = LOOK[state];
  return (
    <Badge tone={look.tone}>
      <span aria-hidden="true" className={`mr-1.5 inline-block h-1.5 w-1.5 rounded-full ${look.dot}`} />
      {look.label}
    </Badge>
  );
}
