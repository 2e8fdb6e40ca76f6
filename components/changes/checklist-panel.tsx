"use client";

import { CheckCircle2, Circle, FileText, XCircle } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { recordEvidenceAction } from "@/app/(portal)/changes/actions";
import { uploadEvidenceFileAction } from "@/app/(portal)/changes/[number]/files/actions";
import { Alert } from "@/components/ui/alert";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { TextAreaField } from "@/components/ui/text-area-field";
import type { ChecklistEntry } from "@/lib/changes/checklist";
import type { EvidenceView } from "@/lib/changes/detail";
import type { EvidenceItemValue } from "@/lib/changes/schemas";
import { ACCEPT_ATTRIBUTE, ACCEPTED_DESCRIPTION } from "@/lib/evidence/file-types";
import { formatDateTime } from "@/lib/ui/format";
import { fromDateTimeLocal } from "./labels";
import { formatBytes } from "@/lib/ui/format-bytes";
import { Panel } from "./panel";
import { useChangeAction } from "./use-change-action";

type EvidenceItem = EvidenceItemValue;

type Props = {
  changeId: string;
  /** CHG-000123: file links go through the change's download route. */
  reference: string;
  items: ChecklistEntry[];
  /** Current (not superseded) evidence. */
  evidence: EvidenceView[];
  /** Superseded evidence, newest first: never edited, kept for the record. */
  history: EvidenceView[];
  canRecord: boolean;
  /** The upload limit in words, e.g. "20 MB". */
  fileLimit: string;
};

const RECORDABLE: readonly string[] = ["SECURITY_SCAN", "PERFORMANCE_TEST", "BACKUP_VERIFICATION"] satisfies EvidenceItemValue[];

export function ChecklistPanel({ changeId, reference, items, evidence, history, canRecord, fileLimit }: Props) {
  const done = items.filter((r) => r.state === "complete").length;
  return (
    <Panel
      title="Pre-deployment checklist"
      description={`${done} of ${items.length} complete.${canRecord ? " New evidence replaces the earlier record and asks approvers again." : ""}`}
    >
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {items.map((row) => (
          <li key={row.key} aria-label={row.label} className="py-3 first:pt-0 last:pb-0">
            <ChecklistRowView
              row={row}
              evidence={evidence.find((e) => e.item === row.key) ?? null}
              earlier={history.filter((e) => e.item === row.key)}
              reference={reference}
              changeId={changeId}
              canRecord={canRecord && RECORDABLE.includes(row.key)}
              fileLimit={fileLimit}
            />
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function StatusIcon({ state }: { state: ChecklistEntry["state"] }) {
  if (state === "complete") return <CheckCircle2 aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-emerald-600 dark:text-emerald-400" />;
  if (state === "failed") return <XCircle aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-red-600 dark:text-red-400" />;
  return <Circle aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-slate-400" />;
}

const STATE_WORDS: Record<ChecklistEntry["state"], string> = { complete: "Complete", failed: "Failed", missing: "Not yet" };
const STATE_COLOURS: Record<ChecklistEntry["state"], string> = {
  complete: "text-emerald-700 dark:text-emerald-400",
  failed: "text-red-700 dark:text-red-400",
  missing: "text-slate-500 dark:text-slate-400",
};

function ChecklistRowView({
  row,
  evidence: e,
  earlier,
  reference,
  changeId,
  canRecord,
  fileLimit,
}: {
  row: ChecklistEntry;
  evidence: EvidenceView | null;
  earlier: EvidenceView[];
  reference: string;
  changeId: string;
  canRecord: boolean;
  fileLimit: string;
}) {
  const [open, setOpen] = useState(false);
  const recordItem = RECORDABLE.includes(row.key) ? (row.key as EvidenceItem) : null;
  return (
    <div className="flex items-start gap-3">
      <StatusIcon state={row.state} />
      <div className="min-w-0 flex-1 space-y-1">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <p className="text-sm font-medium">
            {row.label}
            <span className={`ml-2 text-xs font-semibold ${STATE_COLOURS[row.state]}`}>{STATE_WORDS[row.state]}</span>
          </p>
          {canRecord && recordItem && !open ? (
            <Button variant="secondary" className="px-2.5! py-1! text-xs" onClick={() => setOpen(true)}>
              {e ? "Record new evidence" : "Record evidence"}
              <span className="sr-only"> for {row.label.toLowerCase()}</span>
            </Button>
          ) : null}
        </div>
        <p className="break-words text-sm text-slate-600 dark:text-slate-400">{row.detail}</p>
        {e || row.by ? (
          <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs">
            {e?.link ? (
              <a href={e.link} target="_blank" rel="noreferrer noopener" className="font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300">
                Open link<span className="sr-only"> for {row.label.toLowerCase()}</span>
              </a>
            ) : null}
            {e?.file ? (
              <a
                href={`/changes/${reference}/files/${e.file.id}`}
                className="inline-flex items-center gap-1 font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300"
              >
                <FileText aria-hidden="true" className="h-3.5 w-3.5" />
                {e.file.fileName} ({formatBytes(e.file.size)})
              </a>
            ) : null}
            {row.by ? (
              <span className="text-slate-500 dark:text-slate-400">
                {e ? "Recorded by" : "By"} {row.by}
                {e && e.source !== "ui" ? ` via ${e.source}` : ""}
                {row.at ? `, ${formatDateTime(row.at)}` : ""}
              </span>
            ) : null}
          </p>
        ) : null}
        {earlier.length ? (
          <details className="text-xs text-slate-600 dark:text-slate-400">
            <summary className="cursor-pointer font-medium">Earlier evidence ({earlier.length})</summary>
            <ul className="mt-1 space-y-1 border-l border-slate-200 pl-3 dark:border-slate-700">
              {earlier.map((old) => (
                <li key={old.id}>
                  {old.result === "PASSED" ? "Passed" : "Failed"}
                  {old.summary ? `: ${old.summary}` : ""}
                  {old.file ? ` · ${old.file.fileName}` : ""} · recorded by {old.recordedBy}, {formatDateTime(old.recordedAt)}
                  {old.supersededAt ? `; replaced ${formatDateTime(old.supersededAt)}` : ""}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {open && recordItem ? (
          <EvidenceForm
            item={recordItem}
            label={row.label}
            changeId={changeId}
            reference={reference}
            fileLimit={fileLimit}
            onClose={() => setOpen(false)}
          />
        ) : null}
      </div>
    </div>
  );
}

function EvidenceForm({
  item,
  label,
  changeId,
  reference,
  fileLimit,
  onClose,
}: {
  item: EvidenceItem;
  label: string;
  changeId: string;
  reference: string;
  fileLimit: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const { run, result, pending, stepUpDialog } = useChangeAction(recordEvidenceAction);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string>();
  // A file uploaded for an attempt the server then refused is reused, not uploaded twice.
  const [uploaded, setUploaded] = useState<{ file: File; id: string } | null>(null);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const id = (name: string) => `${item.toLowerCase()}-${name}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    form.delete("file");
    if (form.has("verifiedAt")) form.set("verifiedAt", fromDateTimeLocal(String(form.get("verifiedAt"))));
    setUploadError(undefined);
    if (file instanceof File && (file.size > 0 || file.name !== "")) {
      let fileId = uploaded?.file === file ? uploaded.id : null;
      if (!fileId) {
        const upload = new FormData();
        upload.set("number", reference);
        upload.set("file", file);
        setUploading(true);
        const r = await uploadEvidenceFileAction(upload);
        setUploading(false);
        if (!r.ok) {
          if (r.code === "unauthenticated") router.replace("/sign-in");
          setUploadError(r.fieldErrors?.file ?? r.message);
          return;
        }
        fileId = r.data.id;
        setUploaded({ file, id: fileId });
      }
      form.set("fileId", fileId);
    }
    run(form);
  }

  if (result?.ok) {
    return (
      <div className="space-y-2">
        <ActionStatus result={result} success={`${label} evidence recorded.`} />
        <Button variant="ghost" className="px-2! py-1! text-xs" onClick={onClose}>
          Close
        </Button>
      </div>
    );
  }

  return (
    <>
      <form
        aria-label={`Record ${label.toLowerCase()} evidence`}
        onSubmit={submit}
        noValidate
        className="mt-2 space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700"
      >
        <input type="hidden" name="changeId" value={changeId} />
        <input type="hidden" name="item" value={item} />
        <ActionStatus result={result} />
        {uploadError ? <Alert>{uploadError}</Alert> : null}
        <fieldset>
          <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Result</legend>
          <div className="mt-1 flex gap-4 text-sm">
            <label className="flex items-center gap-1.5">
              <input type="radio" name="result" value="PASSED" defaultChecked className="h-4 w-4" /> Passed
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="result" value="FAILED" className="h-4 w-4" /> Failed
            </label>
          </div>
          {errors.result ? <p className="text-xs font-medium text-red-600 dark:text-red-400">{errors.result}</p> : null}
        </fieldset>
        {item === "BACKUP_VERIFICATION" ? (
          <Field
            id={id("verifiedAt")}
            name="verifiedAt"
            type="datetime-local"
            label="Backup taken at (UTC)"
            error={errors.verifiedAt}
            required
          />
        ) : null}
        <TextAreaField
          id={id("summary")}
          name="summary"
          label={item === "PERFORMANCE_TEST" ? "Results summary" : "Summary"}
          rows={2}
          hint={item === "PERFORMANCE_TEST" ? "e.g. p95 180 ms at 400 rps, no errors" : undefined}
          error={errors.summary}
        />
        <Field
          id={id("link")}
          name="link"
          type="url"
          label={item === "BACKUP_VERIFICATION" ? "Link to the verified backup" : "Report link"}
          placeholder="https://"
          error={errors.link}
        />
        {item !== "BACKUP_VERIFICATION" ? (
          <Field
            id={id("file")}
            name="file"
            type="file"
            label="Report file (optional, instead of or as well as a link)"
            accept={ACCEPT_ATTRIBUTE}
            hint={`${ACCEPTED_DESCRIPTION}; up to ${fileLimit}. Stored with the change; only people who can read changes can download it.`}
            error={uploadError ?? errors.fileId}
            className="file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1 file:text-sm file:font-medium dark:file:bg-slate-800 dark:file:text-slate-200"
          />
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending || uploading}>
            {uploading ? "Uploading…" : pending ? "Saving…" : "Save evidence"}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
      {stepUpDialog}
    </>
  );
}
