import { TabsNav } from "@/components/ui/tabs-nav";

/** The Health & Metrics area's own sections (a service's pages have their tabs in their layout). */
export function HealthAreaTabs() {
  return (
    <TabsNav
      label="Health and metrics"
      tabs={[
        { href: "/health", label: "Service health" },
        { href: "/health/business-metrics", label: "Business metrics" },
      ]}
    />
  );
}
