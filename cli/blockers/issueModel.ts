import { type GateReportInput, type Verdict, blockerIds, gateOf, messageParts, protocolSeverity, shortUrn, sortedVerdicts } from "../analyzer/index.js";
import { blockerFields, renderBlocker } from "../reports/blockers.js";
import type { TeamsConfig } from "../../stacks/config.js";

/** The policy name drift findings carry (they come from `pulumi preview --refresh`, not from a gate). */
export const driftPolicy = "drift";

export const blockerLabel = "blocker";
export const waivedLabel = "blocker:waived";
export const escalationLabelPrefix = "escalation:L";

/** What a blocker issue should look like after a sync. */
export interface BlockerIssueSpec {
    id: string;
    title: string;
    /** The body, given when the blocker was first reported (the issue's creation time). */
    body: (reportedAt: Date) => string;
    /** Severity, phase and team labels (the escalation label is the escalation command's). */
    labels: string[];
    /** The owning team's lead, when `vauntico:teams` names one. */
    assignee: string | undefined;
}

/** A blocker a valid waiver covers: its issue is closed with the waiver named. */
export interface WaivedBlocker {
    id: string;
    /** `waived by <login> until <time> (<reason>)`, as the gate's message says it. */
    waiver: string;
}

export interface DesiredBlockers {
    stack: string;
    blockers: BlockerIssueSpec[];
    waived: WaivedBlocker[];
}

const waiverPattern = /waived by \S+ until \S+ \([^)]*\)/;

/** The waiver a verdict names, when a valid waiver turned its mandatory violation advisory. */
export function waiverOf(verdict: Verdict): string | undefined {
    return verdict.enforcement === "advisory" ? waiverPattern.exec(verdict.message)?.[0] : undefined;
}

/** The hidden marker that finds a blocker's issue again, whatever its title or body became. */
export function blockerMarker(stack: string, id: string): string {
    return `<!-- vauntico-blocker id=${id} stack=${stack} -->`;
}

export function parseBlockerMarker(body: string | null | undefined): { id: string; stack: string } | undefined {
    const match = /<!-- vauntico-blocker id=(BLOCKER-[A-Z0-9-]+) stack=([A-Za-z0-9._-]+) -->/.exec(body ?? "");
    return match?.[1] && match[2] ? { id: match[1], stack: match[2] } : undefined;
}

export function escalationLabel(level: number): string {
    return `${escalationLabelPrefix}${level}`;
}

/** `YYYY-MM-DD HH:MM` (UTC), the template's date format. */
export function templateDate(at: Date): string {
    return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function driftFields(verdict: Verdict, stack: string): Record<string, string> {
    return {
        "Reported By": "drift detection (`pulumi preview --refresh --expect-no-changes`, .github/workflows/drift.yml)",
        Description: verdict.message,
        "Root Cause": `the live \`${shortUrn(verdict.urn)}\` no longer matches the state of the last \`pulumi up\` (changed outside Pulumi)`,
        "Reproduction Steps": `\`pulumi preview --refresh --expect-no-changes --stack ${stack} --policy-pack policy\``,
        "Proposed Solution": "restore the declared state with `pulumi up`, or change the program and config to adopt the change through review",
    };
}

function titleOf(verdict: Verdict, id: string): string {
    if (verdict.policy === driftPolicy) return `[${id}] drift in ${shortUrn(verdict.urn)}`;
    const problem = messageParts(verdict.message).problem;
    const short = problem.length > 120 ? `${problem.slice(0, 117)}...` : problem;
    return `[${id}] ${verdict.policy}: ${short}`;
}

/**
 * The blocker issues the gates' verdicts call for: one per mandatory violation (and drift finding), in the
 * protocol's Blocker Report template; and the blockers a valid waiver covers. IDs are taken over both, so a
 * waived blocker keeps the ID its issue was opened with.
 */
export function desiredBlockers(input: GateReportInput, teams: TeamsConfig | undefined): DesiredBlockers {
    const stack = input.plan.stack;
    const sorted = sortedVerdicts(input.verdicts);
    const mandatory = sorted.filter((v) => v.enforcement === "mandatory");
    const waived = sorted.flatMap((v) => {
        const waiver = waiverOf(v);
        return waiver === undefined ? [] : [{ verdict: v, waiver }];
    });
    const ids = blockerIds([...mandatory, ...waived.map((w) => w.verdict)]);
    const idOf = (v: Verdict): string => {
        const id = ids.get(v);
        if (id === undefined) throw new Error(`no blocker ID for ${v.policy}`);
        return id;
    };
    const blockers = mandatory.map((verdict): BlockerIssueSpec => {
        const id = idOf(verdict);
        const gate = gateOf(verdict);
        const phase = input.protocol.phases.find((p) => p.number === verdict.phase);
        const team = gate?.owner ?? phase?.owner ?? "Kilo";
        const severity = verdict.policy === driftPolicy ? "High" : protocolSeverity(gate?.severity);
        const lead = teams?.[team].lead;
        return {
            id,
            title: titleOf(verdict, id),
            labels: [blockerLabel, `severity:${severity.toLowerCase()}`, `phase:${verdict.phase}`, `team:${team.toLowerCase()}`],
            assignee: lead,
            body: (reportedAt) => {
                const fields = {
                    ...blockerFields(verdict, id, input),
                    ...(verdict.policy === driftPolicy ? driftFields(verdict, stack) : {}),
                    "Date Reported": templateDate(reportedAt),
                    Severity: severity,
                    "Current Owner": lead === undefined ? `${team} team lead` : `${lead} (${team} team lead)`,
                    "Escalation Level": "see the `escalation:L<n>` label and the escalation comments below",
                };
                return `${blockerMarker(stack, id)}\n${renderBlocker(fields, input.protocol)}\n`;
            },
        };
    });
    return { stack, blockers, waived: waived.map(({ verdict, waiver }) => ({ id: idOf(verdict), waiver })) };
}
