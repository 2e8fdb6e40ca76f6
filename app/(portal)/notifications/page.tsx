import { BellOff, ChevronLeft, ChevronRight } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { MarkAllReadButton, NotificationList } from "@/components/notifications/notification-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { listNotifications } from "@/lib/notifications/queries";
import { ZNotificationListQuery } from "@/lib/notifications/schemas";
import { safeLink } from "@/lib/notifications/service";

export const metadata: Metadata = { title: "Notifications" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const pageLink =
  "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800";

export default async function NotificationsPage({ searchParams }: Props) {
  const user = await requirePermission("notification.read_own");
  const query = ZNotificationListQuery.safeParse({ page: [(await searchParams).page].flat()[0] });
  const list = await listNotifications(user, { page: query.success ? query.data.page : 1 });
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          list.unread > 0
            ? `${list.unread} unread. Changes that need you, and decisions on yours.`
            : "You are up to date. Changes that need you, and decisions on yours, appear here."
        }
        actions={list.unread > 0 ? <MarkAllReadButton /> : null}
      />
      <Card title="Your notifications">
        {list.items.length ? (
          <NotificationList
            items={list.items.map((n) => ({
              id: n.id,
              title: n.title,
              body: n.body,
              link: safeLink(n.link),
              createdAt: n.createdAt,
              read: n.readAt !== null,
            }))}
          />
        ) : (
          <div className="flex flex-col items-center gap-2 px-4 py-12 text-center text-sm text-slate-600 dark:text-slate-400">
            <BellOff aria-hidden="true" className="h-8 w-8 text-slate-400" />
            <p>No notifications yet. You will hear here when a change needs you or a decision is made on yours.</p>
          </div>
        )}
        {list.pageCount > 1 ? (
          <nav
            aria-label="Notification pages"
            className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm dark:border-slate-800"
          >
            <p className="text-slate-600 dark:text-slate-400">
              Page {list.page} of {list.pageCount}
            </p>
            <div className="flex gap-2">
              {list.page > 1 ? (
                <Link href={`/notifications?page=${list.page - 1}`} className={pageLink} rel="prev">
                  <ChevronLeft aria-hidden="true" className="h-4 w-4" />
                  Newer
                </Link>
              ) : null}
              {list.page < list.pageCount ? (
                <Link href={`/notifications?page=${list.page + 1}`} className={pageLink} rel="next">
                  Older
                  <ChevronRight aria-hidden="true" className="h-4 w-4" />
                </Link>
              ) : null}
            </div>
          </nav>
        ) : null}
      </Card>
    </>
  );
}
