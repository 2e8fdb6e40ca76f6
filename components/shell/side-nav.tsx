"use client";

import {
  Activity,
  ClipboardCheck,
  FileClock,
  GitPullRequestArrow,
  LayoutDashboard,
  ListChecks,
  Rocket,
  Server,
  ShieldCheck,
  Siren,
  TriangleAlert,
  Users,
  DatabaseBackup,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavIcon, NavItem } from "@/lib/ui/navigation";

const ICONS: Record<NavIcon, LucideIcon> = {
  dashboard: LayoutDashboard,
  changes: GitPullRequestArrow,
  services: Server,
  deployments: Rocket,
  health: Activity,
  alerts: Siren,
  dr: DatabaseBackup,
  incidents: TriangleAlert,
  procedures: ListChecks,
  compliance: ClipboardCheck,
  audit: FileClock,
  admin: Users,
};

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function SideNav({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 p-3">
      {items.map((item) => {
        const Icon = ICONS[item.icon];
        const active = isActive(pathname, item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition ${
              active
                ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300"
                : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            }`}
          >
            <Icon aria-hidden="true" className="h-4 w-4 shrink-0" />
            {item.label}
          </Link>
        );
      })}
      <div className="mt-4 flex items-center gap-2 border-t border-slate-200 px-3 pt-4 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
        <ShieldCheck aria-hidden="true" className="h-3.5 w-3.5" />
        Every change is audited
      </div>
    </nav>
  );
}
