import { defineHandler } from "@/lib/api/define-handler";
import { apiChangeDetail } from "@/lib/changes/api-view";

type Params = { params: Promise<{ number: string }> };

/** One change by number (CHG-000123 or 123): content, window, stakeholders, evidence, approvals. */
export async function GET(request: Request, { params }: Params): Promise<Response> {
  const { number } = await params;
  return defineHandler({ name: "api.changes.get", permission: "change.read" }, ({ principal }) => apiChangeDetail(principal, number))(
    request,
  );
}
