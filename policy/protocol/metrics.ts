/** "Success Criteria": what a smooth handoff looks like and how the deployment is measured. */
export const smoothHandoffIndicators: readonly string[] = [
    "Clear documentation of responsibilities",
    "No overlap or gaps in ownership",
    "All artifacts delivered on time",
    "Minimal questions or clarifications needed",
    "No critical blockers during transition",
];

export interface SuccessMetric {
    name: string;
    target: string;
    /** The target as a number, where the protocol's wording gives one. */
    threshold?: { kind: "below-seconds"; seconds: number } | { kind: "at-least-share"; share: number };
}

export const deploymentSuccessMetrics: readonly SuccessMetric[] = [
    { name: "Phase Completion Rate", target: "100% of phases completed on schedule", threshold: { kind: "at-least-share", share: 1 } },
    { name: "Blocker Resolution Time", target: "< 2 hours for critical issues", threshold: { kind: "below-seconds", seconds: 7200 } },
    { name: "Handoff Quality Score", target: "90%+ satisfaction from receiving team", threshold: { kind: "at-least-share", share: 0.9 } },
    { name: "Documentation Completeness", target: "All artifacts delivered and verified" },
    { name: "Stakeholder Satisfaction", target: "Positive feedback from all teams" },
];
