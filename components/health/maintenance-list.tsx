import { Badge } from "@/components/ui/badge";
import type { MaintenanceWindowRow } from "@/lib/health/maintenance";
import { formatDateTime } from "@/lib/ui/format";
import { CancelMaintenanceButton } from "./cancel-maintenance-button";

type State = "active" | "upcoming" | "past";

function span(w: MaintenanceWindowRow): string {
  return `${formatDateTime(w.startsAt)} to ${formatDateTime(w.endsAt)}`;
}

function hours(w: MaintenanceWindowRow): string {
  const minutes = Math.round((w.endsAt.getTime() - w.startsAt.getTime()) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = minutes / 60;
  return h < 48 ? `${Number.isInteger(h) ? h : h.toFixed(1)} h` : `${(h / 24).toFixed(1)} days`;
}

function Item({ window, state, canManage }: { window: MaintenanceWindowRow; state: State; canManage: boolean }) {
  return (
    <li
      aria-label={`Maintenance: ${window.reason}`}
      className={`flex flex-wrap items-start justify-between gap-3 px-4 py-3 ${
        state === "active" ? "border-l-4 border-l-amber-500 bg-amber-50/70 dark:border-l-amber-400 dark:bg-amber-500/10" : ""
      }`}
    >
      <div className="min-w-0 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          {state === "active" ? <Badge tone="warning">In progress</Badge> : null}
          {window.cancelledAt ? <Badge tone="neutral">Cancelled</Badge> : null}
          <span className="text-sm font-medium tabular-nums">{span(window)}</span>
          <span className="text-xs text-slate-500 dark:text-slate-400">({hours(window)})</span>
        </div>
        <p className="text-sm text-slate-700 dark:text-slate-200">{window.reason}</p>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Scheduled by {window.createdBy ? `${window.createdBy.name} (${window.createdBy.email})` : "a removed user"} on {formatDateTime(window.createdAt)}
          {window.cancelledAt ? `; cancelled ${formatDateTime(window.cancelledAt)}` : ""}
        </p>
      </div>
      {canManage && state !== "past" && !window.cancelledAt ? <CancelMaintenanceButton id={window.id} label={span(window)} active={state === "active"} /> : null}
    </li>
  );
}

export function MaintenanceList({ windows, state, canManage, empty }: { windows: MaintenanceWindowRow[]; state: State; canManage: boolean; empty: string }) {
  if (!windows.length) return <p className="px-4 py-4 text-sm text-slate-500 dark:text-slate-400">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800">
      {windows.map((w) => (
        <Item key={w.id} window={w} state={state} canManage={canManage} />
      ))}
    </ul>
  );
}
