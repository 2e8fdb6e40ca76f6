import Link from "next/link";
import type { FreezeNotice } from "@/lib/changes/work-queue";
import { ENVIRONMENT_LABELS } from "@/lib/services/schemas";
import { formatDateTime } from "@/lib/ui/format";

const SOON_MS = 48 * 3_600_000;

function scope(f: FreezeNotice): string {
  return f.environment ? ENVIRONMENT_LABELS[f.environment] : "all environments";
}

function startsIn(f: FreezeNotice, now: Date): string {
  const minutes = Math.max(1, Math.round((f.startsAt.getTime() - now.getTime()) / 60_000));
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  return `in ${hours} ${hours === 1 ? "hour" : "hours"}`;
}

/** Freezes in force now or starting within 48 hours: nobody should plan a change into them by accident. */
export function FreezeBanner({ freezes, now }: { freezes: FreezeNotice[]; now: Date }) {
  const shown = freezes.filter((f) => f.active || f.startsAt.getTime() - now.getTime() <= SOON_MS);
  if (!shown.length) return null;
  const active = shown.some((f) => f.active);
  return (
    <section
      aria-label="Change freeze"
      className={`mb-6 rounded-xl border px-4 py-3 text-sm ${
        active
          ? "border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100"
          : "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100"
      }`}
    >
      <ul className="space-y-1">
        {shown.map((f) => (
          <li key={f.id}>
            <strong className="font-semibold">{f.active ? "Change freeze in force" : `Change freeze starts ${startsIn(f, now)}`}</strong>
            {` for ${scope(f)}: ${f.reason.trim().replace(/[.!]+$/, "")}. `}
            {f.active ? `Until ${formatDateTime(f.endsAt)}.` : `From ${formatDateTime(f.startsAt)} until ${formatDateTime(f.endsAt)}.`}
          </li>
        ))}
      </ul>
      <p className="mt-2">
        <Link href="/changes/freeze-windows" className="font-medium underline underline-offset-2">
          See freeze windows
        </Link>
      </p>
    </section>
  );
}
