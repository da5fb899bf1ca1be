import { markdownTable } from "../../policy/markdown/index.js";
import { type Protocol, type SuccessMetric, protocol as theProtocol } from "../../policy/protocol/index.js";

/** One blocker's history, as its GitHub issue records it. */
export interface BlockerHistory {
    id: string;
    severity: "Critical" | "High" | "Medium" | "Low";
    openedAt: string;
    /** When it was closed because its gate passed; null while open. */
    resolvedAt: string | null;
    /** Closed by a waiver rather than a fix: not a resolution. */
    waived: boolean;
    /** Escalation levels announced, with when. */
    levels: readonly { level: number; at: string }[];
}

/** The ledger's `phase-move` entries, reduced to what the metrics read. */
export interface PhaseMoveRecord {
    from: number;
    to: number;
    at: string;
}

/** The ledger's `acceptance` entries: the receiving team's score, 1–5. */
export interface AcceptanceRecord {
    phase: number;
    at: string;
    score: number;
}

/** The ledger's `sign-off` entries (manual artifact ids among them). */
export interface SignOffRecord {
    item: string;
    at: string;
}

export interface MetricsInput {
    stack: string;
    /** The stack's current phase: artifacts asked are those of phases up to it. */
    phase: number;
    blockers: readonly BlockerHistory[];
    phaseMoves: readonly PhaseMoveRecord[];
    acceptances: readonly AcceptanceRecord[];
    signOffs: readonly SignOffRecord[];
    /** The moment open blockers are aged to; default the latest time in the input (so the report is pure). */
    asOf?: string;
}

export interface MetricResult {
    name: string;
    target: string;
    measured: string;
    /** null where the input cannot say (no data, or no data source). */
    met: boolean | null;
}

export interface Metrics {
    stack: string;
    asOf: string;
    criticalBlockers: {
        resolved: number;
        open: number;
        waived: number;
        medianSeconds: number | null;
        worstSeconds: number | null;
        shareUnderTarget: number | null;
        oldestOpenSeconds: number | null;
    };
    highestEscalationLevel: number;
    phases: { phase: number; startedAt: string | null; acceptedAt: string | null; seconds: number | null; score: number | null }[];
    handoffQuality: { acceptances: number; meanScore: number | null; share: number | null };
    documentation: { asked: number; produced: number; missing: string[] };
    metrics: MetricResult[];
}

const seconds = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

function median(values: readonly number[]): number | null {
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function latest(input: MetricsInput): string {
    const times = [
        ...input.blockers.flatMap((b) => [b.openedAt, ...(b.resolvedAt ? [b.resolvedAt] : []), ...b.levels.map((l) => l.at)]),
        ...input.phaseMoves.map((m) => m.at),
        ...input.acceptances.map((a) => a.at),
        ...input.signOffs.map((s) => s.at),
    ].map((t) => Date.parse(t));
    return new Date(times.length === 0 ? 0 : Math.max(...times)).toISOString();
}

function metric(protocol: Protocol, name: string): SuccessMetric {
    const found = protocol.deploymentSuccessMetrics.find((m) => m.name === name);
    if (!found) throw new Error(`the protocol has no success metric ${name}`);
    return found;
}

function threshold(m: SuccessMetric, kind: "below-seconds"): number;
function threshold(m: SuccessMetric, kind: "at-least-share"): number;
function threshold(m: SuccessMetric, kind: "below-seconds" | "at-least-share"): number {
    const t = m.threshold;
    if (t?.kind === "below-seconds" && kind === "below-seconds") return t.seconds;
    if (t?.kind === "at-least-share" && kind === "at-least-share") return t.share;
    throw new Error(`success metric ${m.name} has no ${kind} threshold`);
}

/** Seconds as `1 h 05 min` (whole minutes, rounded down). */
export function duration(value: number | null): string {
    if (value === null) return "—";
    const minutes = Math.floor(value / 60);
    return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes} min`;
}

const percent = (share: number | null): string => (share === null ? "—" : `${Math.round(share * 1000) / 10}%`);

/** The protocol's Deployment Success Metrics measured from blocker history and the handoff ledger. Pure. */
export function measureMetrics(input: MetricsInput, protocol: Protocol = theProtocol): Metrics {
    const asOf = input.asOf ?? latest(input);
    const resolution = metric(protocol, "Blocker Resolution Time");
    const limit = threshold(resolution, "below-seconds");
    const critical = input.blockers.filter((b) => b.severity === "Critical");
    const resolved = critical.filter((b) => b.resolvedAt !== null && !b.waived).map((b) => seconds(b.openedAt, b.resolvedAt ?? b.openedAt));
    const open = critical.filter((b) => b.resolvedAt === null && !b.waived).map((b) => seconds(b.openedAt, asOf));
    const criticalBlockers = {
        resolved: resolved.length,
        open: open.length,
        waived: critical.filter((b) => b.waived).length,
        medianSeconds: median(resolved),
        worstSeconds: resolved.length === 0 ? null : Math.max(...resolved),
        shareUnderTarget: resolved.length === 0 ? null : resolved.filter((s) => s < limit).length / resolved.length,
        oldestOpenSeconds: open.length === 0 ? null : Math.max(...open),
    };
    const highestEscalationLevel = Math.max(0, ...input.blockers.flatMap((b) => b.levels.map((l) => l.level)));

    const phases = protocol.phases.map((p) => {
        const started =
            input.phaseMoves
                .filter((m) => m.to === p.number)
                .map((m) => m.at)
                .sort()[0] ?? null;
        const accepted = input.acceptances.filter((a) => a.phase === p.number).sort((a, b) => a.at.localeCompare(b.at))[0] ?? null;
        return {
            phase: p.number,
            startedAt: started,
            acceptedAt: accepted?.at ?? null,
            seconds: started && accepted ? seconds(started, accepted.at) : null,
            score: accepted?.score ?? null,
        };
    });
    const entered = phases.filter((p) => p.startedAt !== null || p.acceptedAt !== null);
    const completed = entered.filter((p) => p.acceptedAt !== null);

    const scores = input.acceptances.map((a) => a.score);
    const meanScore = scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
    const handoffQuality = { acceptances: scores.length, meanScore, share: meanScore === null ? null : meanScore / 5 };

    const asked = protocol.phases
        .filter((p) => p.number <= input.phase)
        .flatMap((p) => p.artifacts.flatMap((a) => (a.source.kind === "manual" ? [{ id: a.source.id, name: a.name }] : [])));
    const signed = new Set(input.signOffs.map((s) => s.item));
    const missing = asked.filter((a) => !signed.has(a.id)).map((a) => `${a.id} (${a.name})`);
    const documentation = { asked: asked.length, produced: asked.length - missing.length, missing };

    const completion = metric(protocol, "Phase Completion Rate");
    const quality = metric(protocol, "Handoff Quality Score");
    const docs = metric(protocol, "Documentation Completeness");
    const stakeholders = metric(protocol, "Stakeholder Satisfaction");
    const completionShare = entered.length === 0 ? null : completed.length / entered.length;
    const metrics: MetricResult[] = [
        {
            name: completion.name,
            target: completion.target,
            measured:
                entered.length === 0
                    ? "no phase started yet"
                    : `${completed.length} of ${entered.length} phases started are accepted (${percent(completionShare)}); no schedule is recorded, so "on schedule" is not judged`,
            met: completionShare === null ? null : completionShare >= threshold(completion, "at-least-share"),
        },
        {
            name: resolution.name,
            target: resolution.target,
            measured: `${criticalBlockers.resolved} critical resolved: median ${duration(criticalBlockers.medianSeconds)}, worst ${duration(criticalBlockers.worstSeconds)}, ${percent(criticalBlockers.shareUnderTarget)} under ${duration(limit)}; ${criticalBlockers.open} open${criticalBlockers.oldestOpenSeconds === null ? "" : ` (oldest ${duration(criticalBlockers.oldestOpenSeconds)})`}; ${criticalBlockers.waived} waived`,
            met:
                criticalBlockers.resolved + criticalBlockers.open === 0
                    ? null
                    : (criticalBlockers.worstSeconds ?? 0) < limit && (criticalBlockers.oldestOpenSeconds ?? 0) < limit,
        },
        {
            name: quality.name,
            target: quality.target,
            measured:
                meanScore === null
                    ? "no acceptance recorded"
                    : `mean acceptance score ${Math.round(meanScore * 100) / 100} of 5 over ${scores.length} (${percent(handoffQuality.share)})`,
            met: handoffQuality.share === null ? null : handoffQuality.share >= threshold(quality, "at-least-share"),
        },
        {
            name: docs.name,
            target: docs.target,
            measured: `${documentation.produced} of ${documentation.asked} manual artifacts of phases ≤ ${input.phase} signed off${missing.length > 0 ? `; missing: ${missing.join(", ")}` : ""}`,
            met: documentation.asked === 0 ? null : missing.length === 0,
        },
        {
            name: stakeholders.name,
            target: stakeholders.target,
            measured: "not measured: neither the ledger nor the blocker issues record feedback",
            met: null,
        },
    ];
    return { stack: input.stack, asOf, criticalBlockers, highestEscalationLevel, phases, handoffQuality, documentation, metrics };
}

const verdict = (met: boolean | null): string => (met === null ? "n/a" : met ? "yes" : "**no**");

export function metricsMarkdown(m: Metrics): string {
    const lines = [
        `# Deployment Success Metrics — stack ${m.stack}`,
        "",
        `As of ${m.asOf}.`,
        "",
        ...markdownTable(
            ["Metric", "Target", "Measured", "Met"],
            m.metrics.map((r) => [r.name, r.target, r.measured, verdict(r.met)]),
        ),
        "",
        "## Escalation",
        "",
        `Highest escalation level reached: ${m.highestEscalationLevel === 0 ? "none" : `L${m.highestEscalationLevel}`}.`,
        "",
        "## Phase completion",
        "",
        ...markdownTable(
            ["Phase", "First move in", "Accepted", "Took", "Score"],
            m.phases.map((p) => [String(p.phase), p.startedAt ?? "—", p.acceptedAt ?? "—", duration(p.seconds), p.score === null ? "—" : `${p.score}/5`]),
        ),
    ];
    return `${lines.join("\n")}\n`;
}

export function metricsJson(m: Metrics): string {
    return `${JSON.stringify(m, null, 2)}\n`;
}
