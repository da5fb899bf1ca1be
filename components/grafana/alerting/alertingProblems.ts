import type { TeamName } from "../../../policy/protocol/teams.js";
import { escalationSteps, type EscalationStep, type EscalationTarget } from "./escalation.js";
import { longestRangeSeconds } from "../promqlParse.js";
import type { EscalationArgs } from "./monitoringAlerting.js";
import { alertRuleSpec, type AlertSettings, ruleQueryProblems, settingsProblems, type SignalKey } from "./rules.js";

/** The shortest rule-group evaluation interval accepted, in seconds. */
export const minEvaluationIntervalSeconds = 10;
const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The seconds of a Grafana duration such as `1h30m`. */
export function durationSeconds(duration: string): number {
    const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
    let total = 0;
    for (const match of duration.matchAll(/([0-9]+)(ms|s|m|h|d)/g)) total += Number(match[1]) * (units[match[2] ?? "s"] ?? 1);
    return total;
}

/** What the alerting component checks before registering anything. */
export interface AlertingCheckInput {
    settings: AlertSettings;
    interval: number;
    signals: readonly SignalKey[];
    knownSignals: readonly SignalKey[];
    teamNames: readonly TeamName[];
    emailAddresses: Record<TeamName, readonly string[]>;
    escalation: EscalationArgs;
}

/** Every problem of the alerting args, each naming its field; empty when valid. */
export function alertingProblems(input: AlertingCheckInput): string[] {
    const { settings, interval, teamNames, escalation } = input;
    const problems = settingsProblems(settings);
    if (!Number.isInteger(interval) || interval < minEvaluationIntervalSeconds) {
        problems.push(`evaluationIntervalSeconds: ${interval} must be a whole number of seconds >= ${minEvaluationIntervalSeconds}`);
    }
    // The signature rule counts failures over the window its query reads: pending period + one interval must fit
    // inside it, or a single failure could leave the window before the rule fires.
    const signatureSpec = alertRuleSpec("signatureVerificationFailure", settings.signatureVerificationFailure);
    const signaturePending = durationSeconds(settings.signatureVerificationFailure.pendingPeriod);
    const signatureWindowSeconds = ruleQueryProblems(signatureSpec).length === 0 ? longestRangeSeconds(signatureSpec.expr) : 0;
    if (signaturePending + interval >= signatureWindowSeconds) {
        problems.push(
            `signatureVerificationFailure.pendingPeriod: "${settings.signatureVerificationFailure.pendingPeriod}" plus the ${interval}s interval must stay under the rule's ${signatureWindowSeconds}s window`,
        );
    }
    for (const signal of input.signals) {
        if (!input.knownSignals.includes(signal)) problems.push(`signals: unknown "${signal}"; valid: ${input.knownSignals.join(", ")}`);
    }
    // Every rule's query must parse and read only metrics of the contract; checked on valid settings only.
    if (problems.length === 0) {
        for (const key of input.knownSignals.filter((known) => input.signals.includes(known))) {
            problems.push(...ruleQueryProblems(alertRuleSpec(key, settings[key])));
        }
    }
    for (const team of teamNames) {
        const addresses = input.emailAddresses[team] ?? [];
        if (addresses.length === 0) problems.push(`emailAddresses.${team}: empty; give at least one address`);
        for (const address of addresses) {
            if (!emailPattern.test(address)) problems.push(`emailAddresses.${team}: "${address}" is not an email address`);
        }
    }
    const targets: [string, EscalationTarget][] = [
        ...teamNames.map((team): [string, EscalationTarget] => [`escalation.teamLeads.${team}`, escalation.teamLeads[team]]),
        ["escalation.crossTeam", escalation.crossTeam],
        ["escalation.executives", escalation.executives],
    ];
    for (const [field, target] of targets) {
        if (target === undefined) problems.push(`${field}: missing; give { users: [...] } or { userGroup: "..." }`);
        else if ("users" in target ? target.users.length === 0 : target.userGroup.trim() === "") {
            problems.push(`${field}: empty; give IRM user IDs or a user group ID`);
        }
    }
    return problems;
}

/** Each team's escalation chain steps (L1 its lead, then L2–L4), or the problem that stops them. */
export function stepsByTeam(
    teamNames: readonly TeamName[],
    escalation: EscalationArgs,
): { steps: Partial<Record<TeamName, EscalationStep[]>>; problem?: string } {
    const steps: Partial<Record<TeamName, EscalationStep[]>> = {};
    for (const team of teamNames) {
        try {
            steps[team] = escalationSteps(
                { teamLead: escalation.teamLeads[team], crossTeam: escalation.crossTeam, executives: escalation.executives },
                escalation,
            );
        } catch (error) {
            return { steps, problem: `escalation.incidentAfterSeconds: ${error instanceof Error ? error.message : String(error)}` };
        }
    }
    return { steps };
}
