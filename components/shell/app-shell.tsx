"use client";

import { Menu, X } from "lucide-react";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { NotificationBell } from "@/components/notifications/notification-bell";
import type { NavItem } from "@/lib/ui/navigation";
import type { Theme } from "@/lib/ui/theme";
import { SideNav } from "./side-nav";
import { UserMenu, type ShellUser } from "./user-menu";

/** Header, left navigation (a drawer below the md breakpoint) and the page. */
export function AppShell({
  user,
  nav,
  theme,
  unread,
  children,
}: {
  user: ShellUser;
  nav: NavItem[];
  theme: Theme;
  /** Unread notifications, or null when the role has no notification centre. */
  unread: number | null;
  children: ReactNode;
}) {
  const [drawerOpen, setDrawerOpen] = useState(false);
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-slate-200 bg-white/90 px-4 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
        <button
          type="button"
          className="rounded-md p-2 text-slate-600 hover:bg-slate-100 md:hidden dark:text-slate-300 dark:hover:bg-slate-800"
          aria-label={drawerOpen ? "Close navigation" : "Open navigation"}
          aria-expanded={drawerOpen}
          aria-controls="side-nav"
          onClick={() => setDrawerOpen((v) => !v)}
        >
          {drawerOpen ? <X aria-hidden="true" className="h-5 w-5" /> : <Menu aria-hidden="true" className="h-5 w-5" />}
        </button>
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
            <rect width="32" height="32" rx="7" fill="#4f46e5" />
            <path d="M9 17l4 4 10-10" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Ops Portal</span>
        </Link>
        <div className="ml-auto flex items-center gap-2">
          {unread !== null ? <NotificationBell initialUnread={unread} /> : null}
          <UserMenu user={user} theme={theme} />
        </div>
      </header>
      <div className="flex">
        <aside
          id="side-nav"
          className={`${
            drawerOpen ? "fixed inset-x-0 bottom-0 top-14 z-20 block" : "hidden"
          } w-full overflow-y-auto border-r border-slate-200 bg-white md:sticky md:top-14 md:block md:h-[calc(100vh-3.5rem)] md:w-60 md:shrink-0 dark:border-slate-800 dark:bg-slate-900`}
        >
          <SideNav items={nav} onNavigate={() => setDrawerOpen(false)} />
        </aside>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
