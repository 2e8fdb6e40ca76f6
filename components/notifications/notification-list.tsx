"use client";

import { useQueryClient } from "@tanstack/react-query";
import { CheckCheck } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type MouseEvent } from "react";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/app/(portal)/notifications/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/define-action";
import { formatDateTime, timeAgo } from "@/lib/ui/format";
import { UNREAD_QUERY_KEY } from "./notification-bell";

export type NotificationRow = {
  id: string;
  title: string;
  body: string;
  /** A path inside the portal, or null when the notification leads nowhere. */
  link: string | null;
  createdAt: Date;
  read: boolean;
};

function useAfterAction() {
  const router = useRouter();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  function handle(result: ActionResult<unknown>): boolean {
    if (!result.ok && result.code === "unauthenticated") {
      router.replace("/sign-in");
      return false;
    }
    setError(result.ok ? null : result.message);
    void client.invalidateQueries({ queryKey: UNREAD_QUERY_KEY });
    return result.ok;
  }
  return { error, handle, router };
}

/** "Mark all as read", for the page header. */
export function MarkAllReadButton() {
  const [pending, startTransition] = useTransition();
  const { error, handle } = useAfterAction();
  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() => startTransition(async () => void handle(await markAllNotificationsReadAction({})))}
      >
        <CheckCheck aria-hidden="true" className="h-4 w-4" />
        {pending ? "Marking…" : "Mark all as read"}
      </Button>
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}

/** The user's notifications; opening one marks it read and goes where it points. */
export function NotificationList({ items }: { items: NotificationRow[] }) {
  const [pending, startTransition] = useTransition();
  const { error, handle, router } = useAfterAction();
  const now = new Date();

  function open(event: MouseEvent<HTMLAnchorElement>, item: NotificationRow & { link: string }) {
    if (item.read) return; // an ordinary link
    const newTab = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0;
    if (newTab) {
      void markNotificationReadAction({ id: item.id }).then(handle);
      return;
    }
    event.preventDefault();
    startTransition(async () => {
      handle(await markNotificationReadAction({ id: item.id }));
      router.push(item.link);
    });
  }

  function markRead(item: NotificationRow) {
    startTransition(async () => void handle(await markNotificationReadAction({ id: item.id })));
  }

  return (
    <div aria-busy={pending}>
      {error ? (
        <div className="px-4 pt-4">
          <Alert>{error}</Alert>
        </div>
      ) : null}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {items.map((item) => (
          <li
            key={item.id}
            className={`relative flex gap-3 px-4 py-3 ${
              item.read ? "" : "bg-indigo-50/70 dark:bg-indigo-500/10"
            }`}
          >
            <span
              aria-hidden="true"
              className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${item.read ? "bg-transparent" : "bg-indigo-600 dark:bg-indigo-400"}`}
            />
            <div className="min-w-0 flex-1">
              <p className={`text-sm ${item.read ? "text-slate-700 dark:text-slate-300" : "font-semibold text-slate-900 dark:text-white"}`}>
                {item.read ? null : <span className="sr-only">Unread: </span>}
                {item.link ? (
                  <Link
                    href={item.link}
                    onClick={(e) => open(e, { ...item, link: item.link! })}
                    className="hover:underline focus-visible:underline"
                  >
                    {item.title}
                  </Link>
                ) : (
                  item.title
                )}
              </p>
              {item.body ? <p className="mt-0.5 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">{item.body}</p> : null}
              <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                <time dateTime={item.createdAt.toISOString()} title={formatDateTime(item.createdAt)}>
                  {timeAgo(item.createdAt, now)}
                </time>
              </p>
            </div>
            {!item.read && !item.link ? (
              <Button variant="ghost" className="self-start px-2 py-1 text-xs" disabled={pending} onClick={() => markRead(item)}>
                Mark as read
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
