import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { WaitingItem, WaitingKind, WorkQueue } from "@/lib/changes/work-queue";
import { formatDateTime } from "@/lib/ui/format";

const SHOWN = 6;

const KIND_WORDS: Record<WaitingKind, [string, string]> = {
  decision: ["approval", "approvals"],
  uat: ["UAT sign-off", "UAT sign-offs"],
  retrospective: ["retrospective", "retrospectives"],
  rejected: ["rejected change", "rejected changes"],
  draft: ["draft", "drafts"],
};

const KIND_DOT: Record<WaitingKind, string> = {
  decision: "bg-indigo-500",
  uat: "bg-sky-500",
  retrospective: "bg-amber-500",
  rejected: "bg-red-500",
  draft: "bg-slate-400",
};

function Item({ item }: { item: WaitingItem }) {
  return (
    <li>
      <Link
        href={item.href}
        className="flex items-start gap-3 px-4 py-3 hover:bg-slate-50 focus-visible:bg-slate-50 dark:hover:bg-slate-800/60 dark:focus-visible:bg-slate-800/60"
      >
        <span aria-hidden className={`mt-1.5 size-2 shrink-0 rounded-full ${KIND_DOT[item.kind]}`} />
        <span className="min-w-0 flex-1">
          <span className="block text-sm font-semibold text-slate-900 dark:text-slate-100">{item.reason}</span>
          <span className="block truncate text-sm">
            <span className="font-mono text-xs font-semibold text-indigo-700 dark:text-indigo-300">{item.reference}</span>{" "}
            {item.title}
          </span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">
            {item.service.name} · planned for {formatDateTime(item.plannedStart)}
          </span>
          {item.detail ? <span className="mt-0.5 block text-xs text-slate-600 dark:text-slate-300">{item.detail}</span> : null}
        </span>
      </Link>
    </li>
  );
}

/** What the change process needs from the signed-in person, most pressing first. */
export function WaitingOnYou({ queue, className }: { queue: WorkQueue; className?: string }) {
  const total = queue.waiting.length;
  const parts = (Object.keys(KIND_WORDS) as WaitingKind[])
    .filter((k) => queue.counts[k] > 0)
    .map((k) => `${queue.counts[k]}${queue.capped ? "+" : ""} ${KIND_WORDS[k][queue.counts[k] === 1 ? 0 : 1]}`);
  return (
    <Card title="Waiting on you" className={className}>
      {total === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600 dark:text-slate-400">Nothing is waiting on you. New approvals and sign-offs you are asked for will show here.</p>
      ) : (
        <>
          <p className="border-b border-slate-100 px-4 py-2 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">{parts.join(" · ")}</p>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Changes waiting on you">
            {queue.waiting.slice(0, SHOWN).map((item) => (
              <Item key={`${item.kind}-${item.id}`} item={item} />
            ))}
          </ul>
          {total > SHOWN ? (
            <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
              And {total - SHOWN} more waiting on you.
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}
