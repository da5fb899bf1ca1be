/** "Critical Blockers": the categories that make a blocker critical. */
export const criticalBlockerCategories = [
    "Payment processing failures",
    "Security vulnerabilities",
    "Production outages",
    "Data integrity issues",
    "Compliance violations",
] as const;

export type CriticalBlockerCategory = (typeof criticalBlockerCategories)[number];

export const blockerSeverities = ["Critical", "High", "Medium", "Low"] as const;
export type BlockerSeverity = (typeof blockerSeverities)[number];

export const blockerStatuses = ["New", "In Progress", "Resolved"] as const;
export type BlockerStatus = (typeof blockerStatuses)[number];

/** The "Blocker Reporting Template": its sections and fields, in order. */
export const blockerReportTemplate: readonly { section: string; fields: readonly string[] }[] = [
    { section: "Issue Summary", fields: ["Blocker ID", "Date Reported", "Reported By", "Severity"] },
    { section: "Issue Details", fields: ["Description", "Impact", "Root Cause", "Reproduction Steps"] },
    { section: "Current Status", fields: ["Phase Affected", "Team Responsible", "Current Owner", "Status"] },
    { section: "Resolution Plan", fields: ["Immediate Actions", "Proposed Solution", "Resources Needed", "Estimated Resolution Time"] },
    { section: "Communication", fields: ["Stakeholders Notified", "Next Update", "Escalation Level"] },
];

/** Blocker IDs look like `BLOCKER-XXX`. */
export const blockerIdPrefix = "BLOCKER-";
