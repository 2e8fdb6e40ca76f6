import type { ComponentProps } from "react";
import { FieldShell } from "./field-shell";

type TextAreaFieldProps = ComponentProps<"textarea"> & {
  id: string;
  label: string;
  error?: string;
  hint?: string;
};

/** A labelled multi-line input whose hint and error are tied to it for screen readers. */
export function TextAreaField({ id, label, error, hint, className, rows = 4, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      {(a11y, controlClass) => <textarea {...a11y} rows={rows} className={`${controlClass} ${className ?? ""}`} {...textarea} />}
    </FieldShell>
  );
}
