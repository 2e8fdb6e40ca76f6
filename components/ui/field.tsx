import type { ComponentProps } from "react";
import { FieldShell } from "./field-shell";

type FieldProps = ComponentProps<"input"> & {
  id: string;
  label: string;
  error?: string;
  hint?: string;
};

/** A labelled input whose hint and error are tied to it for screen readers. */
export function Field({ id, label, error, hint, className, ...input }: FieldProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      {(a11y, controlClass) => <input {...a11y} className={`${controlClass} ${className ?? ""}`} {...input} />}
    </FieldShell>
  );
}
