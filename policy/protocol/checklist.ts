/** Who ticks a checklist item: the team handing the phase over, or the one receiving it. */
export type ChecklistRole = "handing" | "receiving";

export interface ChecklistItem {
    text: string;
    role: ChecklistRole;
}

export interface ChecklistStage {
    stage: string;
    items: readonly ChecklistItem[];
}

/** The "Handoff Checklist", all manual: every item is confirmed by a team, never by a gate. */
export const handoffChecklist: readonly ChecklistStage[] = [
    {
        stage: "Pre-Handoff Preparation",
        items: [
            { text: "Complete all phase responsibilities", role: "handing" },
            { text: "Verify handoff criteria are met", role: "handing" },
            { text: "Prepare all required artifacts", role: "handing" },
            { text: "Document any known issues or risks", role: "handing" },
            { text: "Schedule handoff meeting if required", role: "handing" },
        ],
    },
    {
        stage: "Handoff Execution",
        items: [
            { text: "Conduct formal handoff meeting (if critical phase)", role: "handing" },
            { text: "Review artifacts and documentation", role: "receiving" },
            { text: "Verify receiving team understands responsibilities", role: "handing" },
            { text: "Confirm next steps and timelines", role: "receiving" },
            { text: "Document handoff completion", role: "handing" },
        ],
    },
    {
        stage: "Post-Handoff Follow-up",
        items: [
            { text: "Monitor for any immediate issues", role: "receiving" },
            { text: "Provide support during transition period", role: "handing" },
            { text: "Address any questions or clarifications", role: "handing" },
            { text: "Update documentation with lessons learned", role: "receiving" },
            { text: "Conduct retrospective review", role: "receiving" },
        ],
    },
];
