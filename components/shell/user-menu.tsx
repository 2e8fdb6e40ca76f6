"use client";

import { ChevronDown, LogOut, Monitor, Moon, Sun, UserCog } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { signOutAction } from "@/app/(portal)/actions";
import { THEME_COOKIE, type Theme } from "@/lib/ui/theme";

export type ShellUser = { name: string; email: string; roleLabel: string };

const THEME_CHOICES: { value: Theme; label: string; Icon: typeof Sun }[] = [
  { value: "system", label: "System", Icon: Monitor },
  { value: "light", label: "Light", Icon: Sun },
  { value: "dark", label: "Dark", Icon: Moon },
];

function applyTheme(theme: Theme) {
  const html = document.documentElement;
  html.classList.remove("light", "dark");
  if (theme !== "system") html.classList.add(theme);
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=31536000; samesite=lax`;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((p) => p[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

export function UserMenu({ user, theme: initialTheme }: { user: ShellUser; theme: Theme }) {
  const [open, setOpen] = useState(false);
  const [theme, setTheme] = useState(initialTheme);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  return (
    <div className="relative" ref={root}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Account menu for ${user.name}`}
        onClick={() => setOpen((v) => !v)}
        className="flex items-center gap-2 rounded-full py-1 pl-1 pr-2 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
      >
        <span
          aria-hidden="true"
          className="flex h-8 w-8 items-center justify-center rounded-full bg-indigo-600 text-xs font-semibold text-white"
        >
          {initials(user.name)}
        </span>
        <span className="hidden text-left leading-tight sm:block">
          <span className="block font-medium">{user.name}</span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">{user.roleLabel}</span>
        </span>
        <ChevronDown aria-hidden="true" className="h-4 w-4 text-slate-500" />
      </button>
      {open ? (
        <div
          id={menuId}
          className="absolute right-0 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="border-b border-slate-200 px-2 pb-2 dark:border-slate-700">
            <p className="text-sm font-medium">{user.name}</p>
            <p className="truncate text-xs text-slate-500 dark:text-slate-400">{user.email}</p>
            <p className="mt-1 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300">
              {user.roleLabel}
            </p>
          </div>
          <fieldset className="border-b border-slate-200 px-2 py-2 dark:border-slate-700">
            <legend className="sr-only">Theme</legend>
            <p aria-hidden="true" className="mb-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">
              Theme
            </p>
            <div className="grid grid-cols-3 gap-1">
              {THEME_CHOICES.map(({ value, label, Icon }) => (
                <label
                  key={value}
                  className={`flex cursor-pointer flex-col items-center gap-1 rounded-md border px-2 py-1.5 text-xs has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500 ${
                    theme === value
                      ? "border-indigo-500 bg-indigo-50 text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300"
                      : "border-slate-200 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
                  }`}
                >
                  <input
                    type="radio"
                    name="theme"
                    value={value}
                    checked={theme === value}
                    onChange={() => {
                      setTheme(value);
                      applyTheme(value);
                    }}
                    className="sr-only"
                  />
                  <Icon aria-hidden="true" className="h-4 w-4" />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          <Link
            href="/account/sessions"
            onClick={() => setOpen(false)}
            className="mt-1 flex w-full items-center gap-2 rounded-md px-2 py-2 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            <UserCog aria-hidden="true" className="h-4 w-4" />
            Your account
          </Link>
          <form action={signOutAction}>
            <button
              type="submit"
              className="flex w-full items-center gap-2 rounded-md px-2 py-2 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              <LogOut aria-hidden="true" className="h-4 w-4" />
              Sign out
            </button>
          </form>
        </div>
      ) : null}
    </div>
  );
}
