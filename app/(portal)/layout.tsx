import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/current-user";
import { unreadCount } from "@/lib/notifications/queries";
import { can, ROLE_LABELS } from "@/lib/rbac/permissions";
import { navFor } from "@/lib/ui/navigation";
import { parseTheme, THEME_COOKIE } from "@/lib/ui/theme";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  const unread = can(user.role, "notification.read_own") ? await unreadCount(user) : null;
  return (
    <AppShell
      user={{ name: user.name, email: user.email, roleLabel: ROLE_LABELS[user.role] }}
      nav={navFor(user.role)}
      theme={theme}
      unread={unread}
    >
      {children}
    </AppShell>
  );
}
