"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";

export const UNREAD_QUERY_KEY = ["notifications", "unread"] as const;

async function fetchUnread(): Promise<number> {
  const res = await fetch("/api/notifications/unread", { cache: "no-store" });
  if (!res.ok) throw new Error(`unread count: HTTP ${res.status}`);
  return ((await res.json()) as { unread: number }).unread;
}

function unreadLabel(count: number): string {
  return count > 0 ? `Notifications, ${count} unread` : "Notifications, none unread";
}

/**
 * The header's bell: the server renders the count (right on first paint); the browser then polls
 * while the tab is visible, and takes any newer count the server renders after an action.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const client = useQueryClient();
  const pathname = usePathname();
  const { data: unread = initialUnread } = useQuery({
    queryKey: UNREAD_QUERY_KEY,
    queryFn: fetchUnread,
    initialData: initialUnread,
    initialDataUpdatedAt: Date.now,
    refetchInterval: 30_000,
    retry: false,
  });

  useEffect(() => {
    client.setQueryData(UNREAD_QUERY_KEY, initialUnread);
  }, [client, initialUnread]);

  const active = pathname === "/notifications";
  return (
    <Link
      href="/notifications"
      aria-label={unreadLabel(unread)}
      aria-current={active ? "page" : undefined}
      title={unreadLabel(unread)}
      className={`relative rounded-full p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white ${
        active ? "bg-slate-100 dark:bg-slate-800" : ""
      }`}
    >
      <Bell aria-hidden="true" className="h-5 w-5" />
      {unread > 0 ? (
        <span
          aria-hidden="true"
          className="absolute -right-0.5 -top-0.5 flex h-5 min-w-5 items-center justify-center rounded-full bg-red-600 px-1 text-[11px] font-semibold leading-none text-white ring-2 ring-white tabular-nums dark:ring-slate-900"
        >
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
