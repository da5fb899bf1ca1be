import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import {
    type Acceptance, type LedgerEntry, type LedgerRecord, type PhaseMove, type PhaseNumber, type SignOff, type TeamRoster, type Waiver,
    ledgerFileFor, manualProtocolItems, phaseByNumber, phaseNumbers,
} from "../../policy/protocol/index.js";

/** The prod stack's teams. */
export const teams: TeamRoster = {
    Kilo: { lead: "kilo-dev-lead", members: ["kilo-dev-lead", "kilo-dev-engineer"] },
    Cline: { lead: "cline-ops-lead", members: ["cline-ops-lead", "cline-ops-engineer"] },
};
export const teamsConfig = { Kilo: { slug: "kilo-dev", ...teams.Kilo }, Cline: { slug: "cline-ops", ...teams.Cline } };

export const t0 = "2026-12-01T09:00:00Z";

/** A time `minutes` after t0. */
export function at(minutes: number): string {
    return new Date(Date.parse(t0) + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

export function signOff(item: SignOff["item"], by: string, when: string, extra: Partial<SignOff> = {}): SignOff {
    return { id: `sign-${item}-${when}`, kind: "sign-off", by, at: when, item, ...extra };
}

export function acceptance(phase: PhaseNumber, by: string, when: string, extra: Partial<Acceptance> = {}): Acceptance {
    const meeting = phaseByNumber(phase).formalMeeting ? { meeting: { date: when.slice(0, 10), attendees: [teams.Kilo.lead, teams.Cline.lead] } } : {};
    return { id: `accept-${phase}-${when}`, kind: "acceptance", by, at: when, phase, score: 5, ...meeting, ...extra };
}

export function move(from: PhaseNumber, to: PhaseNumber, by: string, when: string, extra: Partial<PhaseMove> = {}): PhaseMove {
    return { id: `move-${from}-${to}-${when}`, kind: "phase-move", by, at: when, from, to, ...extra };
}

export function waiver(gate: Waiver["gate"], resource: string, by: string, when: string, expires: string, extra: Partial<Waiver> = {}): Waiver {
    return { id: `waiver-${gate}-${when}`, kind: "waiver", by, at: when, gate, resource, reason: "fix scheduled", expires, ...extra };
}

export function record(stack: string, entry: LedgerEntry): LedgerRecord {
    const owner = entry.kind === "sign-off" ? manualProtocolItems().find((i) => i.id === entry.item)?.owner : undefined;
    return { file: `handoff/${stack}/${ledgerFileFor(entry.kind, owner)}`, entry };
}

/**
 * A legitimate ledger reaching `phase`: for each earlier phase every manual item signed by its owner team's
 * lead, the phase accepted by the receiving team's lead (with the meeting of a critical phase), then advanced.
 */
export function ledgerUpTo(phase: PhaseNumber, stack = "prod"): LedgerRecord[] {
    const entries: LedgerEntry[] = [];
    let minute = 0;
    for (const p of phaseNumbers.filter((n) => n < phase)) {
        for (const item of manualProtocolItems().filter((i) => i.phase === p)) entries.push(signOff(item.id, teams[item.owner].lead, at(minute++)));
        const handedTo = phaseByNumber(p).handedTo;
        entries.push(acceptance(p, teams[handedTo].lead, at(minute++)));
        const next = phaseNumbers.find((n) => n === p + 1);
        if (next !== undefined) entries.push(move(p, next, teams[handedTo].lead, at(minute++)));
    }
    return entries.map((entry) => record(stack, entry));
}

/** Writes records into `<projectDir>/handoff/<stack>/…` as the ledger files (YAML sequences). */
export function writeLedger(projectDir: string, records: readonly LedgerRecord[]): void {
    const byFile = new Map<string, LedgerEntry[]>();
    for (const { file, entry } of records) byFile.set(file, [...(byFile.get(file) ?? []), entry]);
    for (const [file, entries] of byFile) {
        const full = path.join(projectDir, file);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, stringify(entries));
    }
}
