/** The protocol's escalation path ("Escalation Procedures"), in order. */
export interface EscalationLevel {
    level: 1 | 2 | 3 | 4;
    /** Who is brought in at this level. */
    audience: string;
    /** The protocol's wording of the deadline. */
    deadline: string;
    /**
     * Seconds after the blocker is raised by which this level must be reached; `null` for L4, which the
     * protocol starts "if unresolved" after L3 rather than at a fixed time.
     */
    withinSeconds: number | null;
}

export const escalationPath: readonly EscalationLevel[] = [
    { level: 1, audience: "Team lead notification", deadline: "immediate", withinSeconds: 0 },
    { level: 2, audience: "Cross-team coordination meeting", deadline: "within 1 hour", withinSeconds: 3600 },
    { level: 3, audience: "Executive notification", deadline: "within 2 hours", withinSeconds: 7200 },
    { level: 4, audience: "Full incident response activation", deadline: "if unresolved", withinSeconds: null },
];
