import { blockerReportTemplate, criticalBlockerCategories } from "./blockers.js";
import { handoffChecklist } from "./checklist.js";
import { documentationUpdates, handoffMeetings, statusUpdates } from "./communication.js";
import { escalationPath } from "./escalation.js";
import { deploymentSuccessMetrics, smoothHandoffIndicators } from "./metrics.js";
import { phases } from "./phases.js";
import { teams } from "./teams.js";

/** The whole protocol as one value, for the reports. */
export const protocol = {
    title: "Vauntico Deployment Handoff Protocol",
    version: "1.0",
    teams,
    phases,
    escalationPath,
    criticalBlockerCategories,
    blockerReportTemplate,
    handoffChecklist,
    statusUpdates,
    handoffMeetings,
    documentationUpdates,
    smoothHandoffIndicators,
    deploymentSuccessMetrics,
} as const;

export type Protocol = typeof protocol;
