import { TabsNav } from "@/components/ui/tabs-nav";

/** The Changes area's sections; each page of the area renders it under its header. */
export function ChangesTabs() {
  return (
    <TabsNav
      label="Changes"
      tabs={[
        { href: "/changes", label: "Change requests" },
        { href: "/changes/calendar", label: "Calendar" },
        { href: "/changes/freeze-windows", label: "Freeze windows" },
      ]}
    />
  );
}
