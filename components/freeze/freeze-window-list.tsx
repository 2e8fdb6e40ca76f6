import { Badge } from "@/components/ui/badge";
import type { FreezeWindowRow } from "@/lib/freeze/queries";
import { formatDateTime } from "@/lib/ui/format";
import { CancelFreezeButton } from "./cancel-freeze-button";

export function environmentName(environment: FreezeWindowRow["environment"]): string {
  if (environment === "PRODUCTION") return "Production";
  if (environment === "STAGING") return "Staging";
  return "All environments";
}

function span(f: FreezeWindowRow): string {
  return `${formatDateTime(f.startsAt)} to ${formatDateTime(f.endsAt)}`;
}

/** One freeze window as a list item; `state` says how it stands now, in words as well as colour. */
function FreezeItem({ freeze, state, canManage }: { freeze: FreezeWindowRow; state: "active" | "upcoming" | "past"; canManage: boolean }) {
  const highlighted = state === "active";
  return (
    <li
      aria-label={`Freeze: ${freeze.reason}`}
      className={`flex flex-wrap items-start justify-between gap-3 px-4 py-3 ${
        highlighted ? "border-l-4 border-l-sky-500 bg-sky-50/70 dark:border-l-sky-400 dark:bg-sky-500/10" : ""
      }`}
    >
      <div className="min-w-0 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          {state === "active" ? <Badge tone="info">In force now</Badge> : null}
          {freeze.cancelledAt ? <Badge tone="neutral">Cancelled</Badge> : null}
          <Badge tone={freeze.environment ? "neutral" : "warning"}>{environmentName(freeze.environment)}</Badge>
          <span className="text-sm font-medium tabular-nums">{span(freeze)}</span>
        </div>
        <p className="text-sm text-slate-700 dark:text-slate-200">{freeze.reason}</p>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Created by {freeze.createdBy.name} ({freeze.createdBy.email}) on {formatDateTime(freeze.createdAt)}
          {freeze.cancelledAt ? `; cancelled ${formatDateTime(freeze.cancelledAt)}` : ""}
        </p>
      </div>
      {canManage && state !== "past" && !freeze.cancelledAt ? (
        <CancelFreezeButton id={freeze.id} label={`${environmentName(freeze.environment)}, ${span(freeze)}`} active={state === "active"} />
      ) : null}
    </li>
  );
}

export function FreezeWindowList({
  freezes,
  state,
  canManage,
  empty,
}: {
  freezes: FreezeWindowRow[];
  state: "active" | "upcoming" | "past";
  canManage: boolean;
  empty: string;
}) {
  if (!freezes.length) return <p className="px-4 py-4 text-sm text-slate-500 dark:text-slate-400">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800">
      {freezes.map((f) => (
        <FreezeItem key={f.id} freeze={f} state={state} canManage={canManage} />
      ))}
    </ul>
  );
}
