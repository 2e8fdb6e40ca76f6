import { Badge } from "@/components/ui/badge";
import type { Colour, DeploymentStatus } from "@/lib/db/client";
import { COLOUR_LABELS, DEPLOYMENT_STATUS_LABELS } from "@/lib/deployments/labels";

const STATUS_TONES: Record<DeploymentStatus, "info" | "success" | "warning" | "danger"> = {
  RUNNING: "info",
  ROLLING_BACK: "warning",
  SUCCEEDED: "success",
  ROLLED_BACK: "warning",
  FAILED: "danger",
};

export function DeploymentStatusBadge({ status }: { status: DeploymentStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{DEPLOYMENT_STATUS_LABELS[status]}</Badge>;
}

const SWATCH: Record<Colour, string> = { BLUE: "bg-sky-500", GREEN: "bg-emerald-500" };

/** A colour's name with a swatch; the swatch is decoration, the word carries the meaning. */
export function ColourName({ colour, empty = "None" }: { colour: Colour | null; empty?: string }) {
  if (!colour) return <span className="text-slate-500 dark:text-slate-400">{empty}</span>;
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-full ${SWATCH[colour]}`} />
      {COLOUR_LABELS[colour]}
    </span>
  );
}
