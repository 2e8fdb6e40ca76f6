import { Check } from "lucide-react";
import { can, PERMISSIONS, ROLE_LABELS, ROLES } from "@/lib/rbac/permissions";

/** Renders lib/rbac's matrix itself, so what people read is what the server enforces. */
export function PermissionMatrix() {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Which role holds which permission</caption>
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Permission</th>
            {ROLES.map((r) => (
              <th key={r} scope="col" className="px-3 py-2 text-center font-medium">{ROLE_LABELS[r]}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {PERMISSIONS.map((p) => (
            <tr key={p}>
              <th scope="row" className="px-4 py-1.5 font-mono text-xs font-normal">{p}</th>
              {ROLES.map((r) => (
                <td key={r} className="px-3 py-1.5 text-center">
                  {can(r, p) ? (
                    <Check role="img" aria-label="allowed" className="mx-auto h-4 w-4 text-emerald-600" />
                  ) : (
                    <span className="sr-only">denied</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
