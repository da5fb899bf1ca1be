/** "Communication Protocol": status updates, handoff meetings and documentation updates. */
export const statusUpdates = {
    frequency: "Daily during active deployment phases",
    format: "VAUNTICO_DEPLOYMENT_STATUS_UPDATE.md",
    channels: ["Slack #deployment channel", "Email updates"],
    recipients: ["Kilo", "Cline", "stakeholders"],
} as const;

/** Phases 1, 3 and 5 are "critical phases" (see each phase's `formalMeeting`); 2 and 4 may hand off asynchronously. */
export const handoffMeetings = {
    maximumMinutes: 30,
    agenda: ["Review artifacts", "confirm readiness", "discuss risks"],
} as const;

export const documentationUpdates: readonly string[] = [
    "All handoffs must be documented in the deployment status update",
    "Update RACI matrix with any responsibility changes",
    "Maintain version history of all handoff documents",
    "Archive completed handoff artifacts",
];
