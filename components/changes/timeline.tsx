"use client";

import { MessageSquare, Zap } from "lucide-react";
import { useEffect, useRef, type FormEvent } from "react";
import { addCommentAction } from "@/app/(portal)/changes/actions";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/text-area-field";
import type { TimelineItem } from "@/lib/changes/detail";
import { formatDateTime } from "@/lib/ui/format";
import { Note, Panel } from "./panel";
import { useChangeAction } from "./use-change-action";


export function Timeline({ changeId, entries, canComment }: { changeId: string; entries: TimelineItem[]; canComment: boolean }) {
  return (
    <Panel title="Activity" description="Transitions, evidence, decisions and comments, newest first.">
      {entries.length ? (
        <ol className="relative space-y-4 border-l border-slate-200 pl-5 dark:border-slate-700">
          {entries.map((e) => (
            <li key={e.id} className="relative text-sm">
              <span className="absolute -left-[1.95rem] top-0 flex h-5 w-5 items-center justify-center rounded-full bg-white ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700">
                {e.kind === "comment" ? (
                  <MessageSquare aria-hidden="true" className="h-3 w-3 text-indigo-600 dark:text-indigo-400" />
                ) : (
                  <Zap aria-hidden="true" className="h-3 w-3 text-slate-500" />
                )}
              </span>
              <p>
                <span className="font-medium">{e.actor}</span> {e.text}
                <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">
                  <time dateTime={e.at.toISOString()}>{formatDateTime(e.at)}</time>
                </span>
              </p>
              {e.detail ? (
                <p
                  className={`mt-1 whitespace-pre-wrap ${
                    e.kind === "comment" ? "rounded-md bg-slate-50 px-3 py-2 dark:bg-slate-800/50" : "text-slate-600 dark:text-slate-400"
                  }`}
                >
                  {e.detail}
                </p>
              ) : null}
              {e.notified.length ? (
                <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">Notified: {e.notified.join(", ")}</p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <Note>Nothing has happened yet.</Note>
      )}
      {canComment ? <CommentForm changeId={changeId} /> : null}
    </Panel>
  );
}

function CommentForm({ changeId }: { changeId: string }) {
  const { run, result, pending, stepUpDialog } = useChangeAction(addCommentAction);
  const form = useRef<HTMLFormElement>(null);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }
  return (
    <>
      <form ref={form} aria-label="Add a comment" onSubmit={submit} noValidate className="space-y-2 border-t border-slate-200 pt-4 dark:border-slate-800">
        <input type="hidden" name="changeId" value={changeId} />
        <ActionStatus result={result} success="Comment added." />
        <TextAreaField
          id="comment-body"
          name="body"
          label="Comment"
          rows={3}
          hint="Mention someone with @ and the first part of their email, e.g. @release: they are notified."
          error={errors.body}
        />
        <Button type="submit" disabled={pending}>
          {pending ? "Posting…" : "Post comment"}
        </Button>
      </form>
      {stepUpDialog}
    </>
  );
}
