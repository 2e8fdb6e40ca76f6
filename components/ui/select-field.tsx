import type { ComponentProps } from "react";
import { FieldShell } from "./field-shell";

type SelectFieldProps = ComponentProps<"select"> & {
  id: string;
  label: string;
  options: readonly { value: string; label: string }[];
  error?: string;
  hint?: string;
};

/** A labelled select whose hint and error are tied to it for screen readers. */
export function SelectField({ id, label, options, error, hint, className, ...select }: SelectFieldProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      {(a11y, controlClass) => (
        <select {...a11y} className={`${controlClass} ${className ?? ""}`} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}
