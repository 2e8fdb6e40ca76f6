"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Circle, CircleMinus, LoaderCircle, XCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useLayoutEffect, useRef, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import type { DeploymentStatus, DeploymentStepKind, DeploymentStepStatus } from "@/lib/db/client";
import { DEPLOYMENT_STEP_LABELS, formatDuration, STEP_STATUS_LABELS } from "@/lib/deployments/labels";
import { DeploymentStatusBadge } from "./deployment-badges";

/** DeploymentProgress (lib/deployments/queries.ts) as JSON: dates are ISO strings. */
export type ProgressJson = {
  status: DeploymentStatus;
  active: boolean;
  outcome: string;
  rollbackRequestedAt: string | null;
  steps: {
    id: string;
    kind: DeploymentStepKind;
    status: DeploymentStepStatus;
    startedAt: string | null;
    finishedAt: string | null;
    durationMs: number | null;
    summary: string;
  }[];
  logs: { id: number; at: string; step: DeploymentStepKind | null; level: "info" | "warn" | "error"; message: string }[];
  lastLogId: number;
  moreLogs: boolean;
};

/** The most log lines kept in the page; older ones stay in the database (and the API). */
const MAX_LINES = 5_000;

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const hms = (iso: string | null) => (iso ? time.format(new Date(iso)) : null);


/**
 * A deployment's live part: the status, the steps with a progress bar, and the log. While the
 * runner works on it (RUNNING, ROLLING_BACK) it polls /api/deployments/<number> every second for
 * the status, the steps and the log lines after the last one it has; it stops once the deployment
 * has finished and reloads the page's server-rendered facts (durations, live colour) once.
 */
export function DeploymentLive({
  reference,
  initial,
  rollback,
  rollbackAfterSuccess = false,
}: {
  reference: string;
  initial: ProgressJson;
  /** The Roll back form (for deployment.rollback holders), shown while a rollback is possible. */
  rollback?: ReactNode;
  /** A succeeded deployment can be rolled back: it is the service's latest and its colour was read back live. */
  rollbackAfterSuccess?: boolean;
}) {
  const client = useQueryClient();
  const router = useRouter();
  const key = ["deployment", reference] as const;
  const { data = initial, isError } = useQuery({
    queryKey: key,
    queryFn: async (): Promise<ProgressJson> => {
      const prev = client.getQueryData<ProgressJson>(key) ?? initial;
      const res = await fetch(`/api/deployments/${reference}?after=${prev.lastLogId}`, { cache: "no-store" });
      if (res.status === 401) {
        router.replace("/sign-in");
        return prev;
      }
      if (!res.ok) throw new Error(`deployment progress: HTTP ${res.status}`);
      const next = (await res.json()) as ProgressJson;
      return { ...next, logs: [...prev.logs, ...next.logs].slice(-MAX_LINES) };
    },
    initialData: initial,
    initialDataUpdatedAt: Date.now,
    structuralSharing: false,
    refetchInterval: (q) => (q.state.data?.active ? (q.state.data.moreLogs ? 200 : 1000) : false),
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
    retry: false,
  });

  // Once it finishes while watched, the server-rendered facts (finish time, durations, read-back) are stale.
  const wasActive = useRef(initial.active);
  useEffect(() => {
    if (wasActive.current && !data.active) router.refresh();
    wasActive.current = data.active;
  }, [data.active, router]);

  const main = data.steps.filter((s) => s.kind !== "ROLLBACK");
  const finished = data.steps.filter((s) => s.status !== "PENDING" && s.status !== "RUNNING").length;
  const total = data.steps.length;
  const failed = data.steps.some((s) => s.status === "FAILED");

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-sm text-slate-600 dark:text-slate-400">Status</span>
        <span role="status" aria-label="Deployment status" className="text-base">
          <DeploymentStatusBadge status={data.status} />
        </span>
        {data.active ? (
          <span className="inline-flex items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
            <LoaderCircle aria-hidden="true" className="h-3.5 w-3.5 animate-spin" />
            Updating every second
          </span>
        ) : null}
        {data.rollbackRequestedAt && data.status === "RUNNING" ? <Badge tone="warning">Rollback requested</Badge> : null}
      </div>
      {isError ? <Alert>Live updates stopped: the portal did not answer. Reload the page to try again.</Alert> : null}
      {data.outcome && !data.active ? (
        data.status === "SUCCEEDED" ? (
          <Alert tone="info">{data.outcome}</Alert>
        ) : (
          <Alert>{data.outcome}</Alert>
        )
      ) : null}
      {rollback && ((data.status === "RUNNING" && !data.rollbackRequestedAt) || (data.status === "SUCCEEDED" && rollbackAfterSuccess)) ? rollback : null}

      <section aria-labelledby="steps-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="space-y-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="steps-heading" className="text-sm font-semibold">
              Steps
            </h2>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {finished} of {total} steps finished
            </p>
          </div>
          <div
            role="progressbar"
            aria-label="Deployment progress"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={finished}
            aria-valuetext={`${finished} of ${total} steps finished`}
            className="h-2 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
          >
            <div
              className={`h-full rounded-full transition-all duration-500 ${failed ? "bg-red-500" : data.status === "SUCCEEDED" ? "bg-emerald-500" : "bg-indigo-500"}`}
              style={{ width: `${total ? (finished / total) * 100 : 0}%` }}
            />
          </div>
        </div>
        <ol aria-label="Deployment steps" className="divide-y divide-slate-100 dark:divide-slate-800">
          {data.steps.map((s, i) => (
            <li key={s.id} className={`flex gap-3 px-4 py-3 ${s.status === "RUNNING" ? "bg-indigo-50/50 dark:bg-indigo-500/5" : ""}`}>
              <StepIcon status={s.status} />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <p className="text-sm font-medium">
                    <span className="sr-only">{s.kind === "ROLLBACK" ? "Extra step: " : `Step ${i + 1} of ${main.length}: `}</span>
                    {DEPLOYMENT_STEP_LABELS[s.kind]}
                  </p>
                  <p className={`text-xs font-semibold ${STEP_TEXT[s.status]}`}>{STEP_STATUS_LABELS[s.status]}</p>
                </div>
                {s.startedAt ? (
                  <p className="mt-0.5 text-xs tabular-nums text-slate-500 dark:text-slate-400">
                    {hms(s.startedAt)}
                    {s.finishedAt ? ` – ${hms(s.finishedAt)}` : " – now"} UTC · {formatDuration(s.durationMs)}
                  </p>
                ) : null}
                {s.summary ? <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{s.summary}</p> : null}
              </div>
            </li>
          ))}
        </ol>
      </section>

      <LogPanel lines={data.logs} live={data.active} />
    </div>
  );
}

const STEP_TEXT: Record<DeploymentStepStatus, string> = {
  PENDING: "text-slate-500 dark:text-slate-400",
  RUNNING: "text-indigo-700 dark:text-indigo-300",
  SUCCEEDED: "text-emerald-700 dark:text-emerald-400",
  FAILED: "text-red-700 dark:text-red-400",
  SKIPPED: "text-slate-500 dark:text-slate-400",
};

function StepIcon({ status }: { status: DeploymentStepStatus }) {
  const cls = "mt-0.5 h-5 w-5 shrink-0";
  switch (status) {
    case "SUCCEEDED":
      return <CheckCircle2 aria-hidden="true" className={`${cls} text-emerald-600 dark:text-emerald-400`} />;
    case "RUNNING":
      return <LoaderCircle aria-hidden="true" className={`${cls} animate-spin text-indigo-600 dark:text-indigo-400`} />;
    case "FAILED":
      return <XCircle aria-hidden="true" className={`${cls} text-red-600 dark:text-red-400`} />;
    case "SKIPPED":
      return <CircleMinus aria-hidden="true" className={`${cls} text-slate-400`} />;
    default:
      return <Circle aria-hidden="true" className={`${cls} text-slate-300 dark:text-slate-600`} />;
  }
}

const LEVEL_TEXT = { info: "text-slate-200", warn: "text-amber-300", error: "text-red-300" } as const;

/**
 * The log in monospace. It follows new lines while the reader is at the bottom and stays put when
 * they have scrolled up to read. role="log" announces new lines politely to screen readers.
 */
function LogPanel({ lines, live }: { lines: ProgressJson["logs"]; live: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <section aria-labelledby="log-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 id="log-heading" className="text-sm font-semibold">
          Log
        </h2>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {lines.length === 1 ? "1 line" : `${lines.length} lines`}, times in UTC{live ? ", follows new lines" : ""}
        </p>
      </div>
      <div
        ref={box}
        role="log"
        aria-live="polite"
        aria-label="Deployment log"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        className="max-h-[28rem] overflow-auto rounded-b-xl bg-slate-950 px-4 py-3 font-mono text-xs leading-relaxed focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        {lines.length ? (
          lines.map((l) => (
            <div key={l.id} className={`whitespace-pre-wrap break-words ${LEVEL_TEXT[l.level]}`}>
              <span className="select-none text-slate-500">{hms(l.at)} </span>
              {l.step ? <span className="text-slate-400">[{l.step.toLowerCase()}] </span> : null}
              {l.level !== "info" ? <span className="font-semibold uppercase">{l.level}: </span> : null}
              {l.message}
            </div>
          ))
        ) : (
          <p className="text-slate-400">{live ? "Waiting for the first line…" : "No log lines."}</p>
        )}
      </div>
    </section>
  );
}
