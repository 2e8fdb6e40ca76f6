import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccessPanel, RolePanel, SessionsPanel, SetupPanel } from "@/components/admin/user-panels";
import { StatusBadges } from "@/components/admin/users-table";
import { Badge } from "@/components/ui/badge";
import { requirePermission } from "@/lib/auth/guards";
import { ROLE_LABELS } from "@/lib/rbac/permissions";
import { formatDate, timeAgo } from "@/lib/ui/format";
import { getUserDetail } from "@/lib/users/queries";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params }: Props) {
  const me = await requirePermission("user.manage");
  const user = await getUserDetail((await params).id);
  if (!user) notFound();
  const isSelf = user.id === me.id;
  return (
    <div className="space-y-5">
      <Link href="/admin" className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        All users
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            {user.name}
            {isSelf ? <Badge tone="info">You</Badge> : null}
          </h2>
          <p className="truncate text-sm text-slate-600 dark:text-slate-400">{user.email}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Badge>{ROLE_LABELS[user.role]}</Badge>
          <StatusBadges user={user} />
          <Badge tone={user.mfaEnrolled ? "success" : "neutral"}>{user.mfaEnrolled ? "MFA enrolled" : "No MFA yet"}</Badge>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:flex sm:flex-wrap">
        <div className="sm:flex sm:gap-1.5">
          <dt className="text-slate-500 dark:text-slate-400">Created</dt>
          <dd>{formatDate(user.createdAt)}</dd>
        </div>
        <div className="sm:flex sm:gap-1.5">
          <dt className="text-slate-500 dark:text-slate-400">Last sign-in</dt>
          <dd>{user.lastSignInAt ? timeAgo(user.lastSignInAt) : "Never"}</dd>
        </div>
      </dl>
      <div className="grid gap-5 lg:grid-cols-2">
        <div className="space-y-5">
          <RolePanel user={user} isSelf={isSelf} />
          <SessionsPanel user={user} isSelf={isSelf} />
        </div>
        <div className="space-y-5">
          <SetupPanel user={user} isSelf={isSelf} />
          <AccessPanel user={user} isSelf={isSelf} />
        </div>
      </div>
    </div>
  );
}
