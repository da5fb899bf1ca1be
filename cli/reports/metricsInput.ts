import * as fs from "node:fs";
import { z } from "zod";
import type { GitHubClient } from "../blockers/github.js";
import { UsageError } from "../blockers/github.js";
import { blockerLabel, waivedLabel } from "../blockers/issueModel.js";
import { type Repo, blockerIssues, commentsOf } from "../blockers/issues.js";
import type { LedgerState } from "../../policy/protocol/index.js";
import type { BlockerHistory, MetricsInput } from "./metrics.js";

const isoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), "expected an ISO 8601 time");

const blockerHistory = z.strictObject({
    id: z.string(),
    severity: z.enum(["Critical", "High", "Medium", "Low"]),
    openedAt: isoTime,
    resolvedAt: isoTime.nullable(),
    waived: z.boolean(),
    levels: z.array(z.strictObject({ level: z.number().int().min(1).max(4), at: isoTime })),
});

/** A recorded history of the blocker issues (the ledger's part comes from the stack's ledger, never from here). */
export const metricsHistory = z.strictObject({
    asOf: isoTime.optional(),
    blockers: z.array(blockerHistory).default([]),
});
export type MetricsHistory = z.output<typeof metricsHistory>;

export function readMetricsHistory(file: string): MetricsHistory {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new UsageError(`--history: cannot read ${JSON.stringify(file)} as JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const result = metricsHistory.safeParse(parsed);
    if (!result.success)
        throw new UsageError(`--history ${file}: ${result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
    return result.data;
}

/** What the metrics read of the ledger: the entries that count as the ledger's state judges them (findings count for nothing). */
export function ledgerMetrics(state: LedgerState): Pick<MetricsInput, "phaseMoves" | "acceptances" | "signOffs"> {
    return {
        phaseMoves: state.moves.map((m) => ({ from: m.from, to: m.to, at: m.at })),
        acceptances: [...state.acceptances.values()].sort((a, b) => a.phase - b.phase).map((a) => ({ phase: a.phase, at: a.at, score: a.score })),
        signOffs: [...state.confirmations.values()].map((s) => ({ item: s.item, at: s.at })),
    };
}

/** The metrics' input: blocker history (recorded or read from GitHub) and the stack's ledger state. */
export function metricsInput(stack: string, phase: number, history: Pick<MetricsInput, "blockers" | "asOf">, ledger: LedgerState): MetricsInput {
    return { stack, phase, blockers: history.blockers, ...(history.asOf === undefined ? {} : { asOf: history.asOf }), ...ledgerMetrics(ledger) };
}

const severities = new Map<string, BlockerHistory["severity"]>([
    ["critical", "Critical"],
    ["high", "High"],
    ["medium", "Medium"],
    ["low", "Low"],
]);

/** The stack's blocker issues as history: opened, escalation levels announced (their comments), resolved or waived. */
export async function blockerHistoryFromGitHub(client: GitHubClient, repo: Repo, stack: string): Promise<BlockerHistory[]> {
    const history: BlockerHistory[] = [];
    for (const [id, issue] of [...(await blockerIssues(client, repo, stack, blockerLabel))].sort(([a], [b]) => a.localeCompare(b))) {
        const severityLabel = issue.labels.find((l) => l.startsWith("severity:"))?.slice("severity:".length) ?? "low";
        const severity = severities.get(severityLabel) ?? "Low";
        const levels = (await commentsOf(client, repo, issue.number)).flatMap((c) => {
            const match = /^<!-- vauntico-escalation level=(\d) -->/.exec(c.body);
            return match?.[1] ? [{ level: Number(match[1]), at: c.createdAt.toISOString() }] : [];
        });
        const waived = issue.labels.includes(waivedLabel);
        history.push({
            id,
            severity,
            openedAt: issue.createdAt.toISOString(),
            resolvedAt: issue.state === "closed" && !waived ? (issue.closedAt?.toISOString() ?? null) : null,
            waived,
            levels,
        });
    }
    return history;
}
