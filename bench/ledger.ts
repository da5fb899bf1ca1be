import { loadavg } from "node:os";
import { type PolicyPackSession, openPolicyPack } from "../cli/analyzer/index.js";
import type { PlannedResource } from "../cli/plan/index.js";
import { type LedgerEntry, componentTypes, ledgerFileFor, manualProtocolItems, phaseByNumber, phaseNumbers } from "../policy/protocol/index.js";
import { carriedLedgerText } from "../components/protocol/index.js";
import { syntheticStack } from "./gates.js";
import { formatSample, summarise } from "./measure.js";

const teams = {
    Kilo: { slug: "kilo-dev", lead: "kilo-dev-lead", members: ["kilo-dev-lead", "kilo-dev-engineer"] },
    Cline: { slug: "cline-ops", lead: "cline-ops-lead", members: ["cline-ops-lead", "cline-ops-engineer"] },
};

function time(minute: number): string {
    return new Date(Date.parse("2026-11-01T00:00:00Z") + minute * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * A legitimate ledger reaching phase 5 (every manual item signed, phases 1–4 accepted and advanced), padded
 * to `size` entries with further sign-offs (re-confirmations with URL evidence) and `waivers` waivers.
 */
export function syntheticLedger(size: number, waivers: number): { records: { file: string; entry: LedgerEntry }[]; waiverEntries: LedgerEntry[] } {
    const entries: LedgerEntry[] = [];
    let minute = 0;
    for (const phase of phaseNumbers) {
        for (const item of manualProtocolItems().filter((i) => i.phase === phase)) {
            entries.push({
                id: `sign-${item.id}-${minute}`,
                kind: "sign-off",
                by: teams[item.owner].lead,
                at: time(minute++),
                item: item.id,
                evidence: { url: `https://example.com/${item.id}` },
            });
        }
        if (phase === 5) break;
        const handedTo = phaseByNumber(phase).handedTo;
        entries.push({
            id: `accept-${phase}`,
            kind: "acceptance",
            by: teams[handedTo].lead,
            at: time(minute++),
            phase,
            score: 5,
            meeting: { date: time(minute).slice(0, 10), attendees: [teams.Kilo.lead, teams.Cline.lead] },
        });
        const next = phaseNumbers.find((n) => n === phase + 1);
        if (next !== undefined) entries.push({ id: `move-${phase}`, kind: "phase-move", by: teams[handedTo].lead, at: time(minute++), from: phase, to: next });
    }
    const waiverEntries: LedgerEntry[] = [];
    for (let i = 0; i < waivers; i++) {
        waiverEntries.push({
            id: `waiver-${i}`,
            kind: "waiver",
            by: teams.Cline.lead,
            at: time(minute++),
            gate: "p3-payments-dashboard",
            resource: `resource-${i}`,
            reason: "benchmark",
            expires: time(minute + 7 * 24 * 60),
        });
    }
    entries.push(...waiverEntries);
    const items = manualProtocolItems();
    for (let i = 0; entries.length < size; i++) {
        const item = items[i % items.length];
        if (item === undefined) break;
        entries.push({
            id: `resign-${i}`,
            kind: "sign-off",
            by: teams[item.owner].members[1] ?? teams[item.owner].lead,
            at: time(minute++),
            item: item.id,
            evidence: { url: `https://example.com/${item.id}/${i}` },
        });
    }
    const records = entries.map((entry) => {
        const owner = entry.kind === "sign-off" ? items.find((i) => i.id === entry.item)?.owner : undefined;
        return { file: `handoff/bench/${ledgerFileFor(entry.kind, owner)}`, entry };
    });
    return { records, waiverEntries };
}

function carrier(records: readonly { file: string; entry: LedgerEntry }[]): PlannedResource {
    const props = { stack: "bench", entryCount: records.length, ledger: carriedLedgerText({ records, evidence: {} }) };
    return {
        urn: `urn:pulumi:bench::vauntico-deploy::${componentTypes.handoffLedger}::handoff-ledger`,
        type: componentTypes.handoffLedger,
        name: "handoff-ledger",
        parent: null,
        custom: false,
        inputs: props,
        outputs: props,
        secretPaths: [],
    };
}

async function timeRuns(
    session: PolicyPackSession,
    resources: readonly PlannedResource[],
    runs: number,
): Promise<{ first: number; times: number[]; mandatory: number }> {
    const times: number[] = [];
    let mandatory = 0;
    let first = 0;
    for (let i = 0; i <= runs; i++) {
        const start = process.hrtime.bigint();
        const verdicts = await session.evaluate(resources);
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        if (i > 0) times.push(elapsed);
        else first = elapsed;
        mandatory = verdicts.filter((v) => v.enforcement === "mandatory").length;
    }
    return { first, times, mandatory };
}

/** Issue 13's figure: gate evaluation with a 10,000-entry ledger at 1,000 resources, goal ≤ 0.5 ms per resource. */
export async function benchLedger(runs = 5): Promise<string[]> {
    const lines = ["## Gate evaluation with the handoff ledger (Analyze + AnalyzeStack over gRPC, pack started)", ""];
    const base = {
        "vauntico:phase": "5",
        "vauntico:mergeProtection": JSON.stringify({ branch: "main", requiredChecks: ["test"], requiredApprovals: 2 }),
        "vauntico:teams": JSON.stringify(teams),
    };
    const resources = 1000;
    for (const [entries, waivers] of [
        [0, 0],
        [1000, 10],
        [10_000, 100],
    ] as const) {
        const { records, waiverEntries } = syntheticLedger(entries, waivers);
        const config = { ...base, "vauntico:waivers": JSON.stringify(waiverEntries) };
        const stack = [...syntheticStack(resources - 1), carrier(entries === 0 ? syntheticLedger(0, 0).records : records)];
        const session = await openPolicyPack({ project: "vauntico-deploy", stack: "bench", config });
        try {
            const { first, times, mandatory } = await timeRuns(session, stack, runs);
            const sample = summarise(`  ${records.length} ledger entries (${waivers} waivers), ${resources} resources`, times);
            // The pack reads and judges a carried ledger once (both gates share it); the first run pays for that, as
            // the one AnalyzeStack of a real preview does.
            lines.push(
                `${formatSample(sample)}  ${(sample.medianMs / resources).toFixed(3)} ms/resource; first run ${first.toFixed(1)} ms (${(first / resources).toFixed(3)} ms/resource)` +
                    `${mandatory > 0 ? `  (${mandatory} mandatory violations!)` : ""}`,
            );
        } finally {
            await session.close();
        }
    }
    lines.push(
        "",
        "goal: ≤ 0.5 ms/resource at 1,000 resources with a 10,000-entry ledger",
        `machine load average during the run: ${loadavg()
            .map((l) => l.toFixed(1))
            .join(", ")} (2 cores shared)`,
    );
    return lines;
}
