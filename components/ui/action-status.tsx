import type { ActionResult } from "@/lib/actions/define-action";
import { Alert } from "./alert";

/** The outcome of a guarded action: its error (announced), or a success line when one is given. */
export function ActionStatus({ result, success }: { result: ActionResult<unknown> | null; success?: string }) {
  if (!result) return null;
  if (!result.ok) return <Alert>{result.message}</Alert>;
  return success ? <Alert tone="info">{success}</Alert> : null;
}
