import { type EscalationLevel, escalationPath } from "../../../policy/protocol/escalation.js";

/** Who a notify step reaches: Grafana IRM/OnCall user IDs, or one IRM user group (e.g. a Slack user group). */
export type EscalationTarget = { users: readonly string[] } | { userGroup: string };

/** People per escalation level (L1–L3); L4 declares an incident instead of paging a list. */
export interface EscalationTargets {
    /** L1, immediate: the owning team's lead. */
    teamLead: EscalationTarget;
    /** L2, within 1 h: the cross-team coordination group (both teams' leads). */
    crossTeam: EscalationTarget;
    /** L3, within 2 h: the executives. */
    executives: EscalationTarget;
}

export interface EscalationOptions {
    /** Seconds after L3 before L4 (full incident response) starts if the alert group is still open; default 3600. */
    incidentAfterSeconds?: number;
    /** IRM incident severity of the declared incident; default `critical`. */
    incidentSeverity?: string;
}

/** One `grafana.oncall.Escalation` step, in chain order. */
export type EscalationStep =
    | { position: number; type: "wait"; duration: number }
    | { position: number; type: "notify_persons"; level: 1 | 2 | 3; personsToNotifies: string[]; important: boolean }
    | { position: number; type: "notify_user_group"; level: 1 | 2 | 3; groupToNotify: string; important: boolean }
    | { position: number; type: "declare_incident"; level: 4; severity: string };

/** L4 ("if unresolved"): how long after L3 a still-open blocker becomes a full incident, unless the stack says. */
export const defaultIncidentAfterSeconds = 3600;

/** OnCall accepts wait steps of 60–86400 s (terraform-provider-grafana#1855, oncall#5201). */
export const minWaitSeconds = 60;
export const maxWaitSeconds = 86_400;

function notifyStep(position: number, level: 1 | 2 | 3, target: EscalationTarget): EscalationStep {
    // Only L1 uses "important" (louder personal notification rules): it is the page that must not be missed.
    const important = level === 1;
    return "users" in target
        ? { position, type: "notify_persons", level, personsToNotifies: [...target.users], important }
        : { position, type: "notify_user_group", level, groupToNotify: target.userGroup, important };
}

function targetOf(targets: EscalationTargets, level: 1 | 2 | 3): EscalationTarget {
    return level === 1 ? targets.teamLead : level === 2 ? targets.crossTeam : targets.executives;
}

/**
 * The escalation chain's steps, derived from the protocol's path: a notify step per level, preceded by a
 * `wait` of the time between this level's deadline and the previous one's; then a wait and
 * `declare_incident` for L4 ("if unresolved"). An acknowledged or resolved alert group stops the chain.
 */
export function escalationSteps(
    targets: EscalationTargets,
    options: EscalationOptions = {},
    path: readonly EscalationLevel[] = escalationPath,
): EscalationStep[] {
    const steps: EscalationStep[] = [];
    let elapsed = 0;
    const wait = (duration: number): void => {
        if (duration === 0) return;
        if (!Number.isInteger(duration) || duration < minWaitSeconds || duration > maxWaitSeconds) {
            throw new Error(`escalation wait of ${duration}s is outside what OnCall accepts (${minWaitSeconds}-${maxWaitSeconds} s)`);
        }
        steps.push({ position: steps.length, type: "wait", duration });
        elapsed += duration;
    };
    for (const level of path) {
        if (level.level === 4) {
            wait(options.incidentAfterSeconds ?? defaultIncidentAfterSeconds);
            steps.push({
                position: steps.length,
                type: "declare_incident",
                level: 4,
                severity: options.incidentSeverity ?? "critical",
            });
            continue;
        }
        const within = level.withinSeconds ?? elapsed;
        wait(within - elapsed);
        steps.push(notifyStep(steps.length, level.level, targetOf(targets, level.level)));
    }
    return steps;
}

/** Seconds from the start of the chain at which each non-wait step (L1…L4) runs. */
export function levelStartSeconds(steps: readonly EscalationStep[]): Map<number, number> {
    const starts = new Map<number, number>();
    let elapsed = 0;
    for (const step of steps) {
        if (step.type === "wait") elapsed += step.duration;
        else starts.set(step.level, elapsed);
    }
    return starts;
}

/** Who each level reaches, in words, for reports. */
export function describeTarget(target: EscalationTarget): string {
    return "users" in target ? `IRM users ${target.users.join(", ")}` : `IRM user group ${target.userGroup}`;
}
