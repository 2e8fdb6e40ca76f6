/**
 * Areas of the portal whose screens have not shipped yet, with what they will cover (from the
 * operations standards), so the navigation is complete and honest about what exists today.
 */
export const UPCOMING_AREAS: Record<string, { title: string; covers: string[] }> = {
  alerts: {
    title: "Alerts & On-call",
    covers: ["Critical alerts and warning thresholds", "Notification routing and escalation paths", "On-call rotations"],
  },
  dr: {
    title: "DR & Backups",
    covers: ["Backup records and verification", "DR drills with computed RTO/RPO", "Failover testing"],
  },
  incidents: {
    title: "Incidents",
    covers: ["Incident assessment and team notification", "Recovery timeline", "Root cause analysis"],
  },
  procedures: {
    title: "Procedures",
    covers: ["Daily, weekly and monthly routines", "Checklists with evidence", "Overdue tracking"],
  },
  compliance: {
    title: "Compliance",
    covers: ["Standards coverage from live data", "Periodic reviews signed by auditors", "Evidence export"],
  },
};
