import { CHANGE_STATUS } from "@/components/services/recent-changes-table";
import { Badge } from "@/components/ui/badge";

export function ChangeStatusBadge({ status }: { status: string }) {
  const s = CHANGE_STATUS[status] ?? { label: status, tone: "neutral" as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
