import { type GateId, isGateId } from "./gateIds.js";
import { isManualItemId } from "./lookup.js";
import { type PhaseNumber, type TeamName, phaseNumbers } from "./teams.js";
import type { ManualItemId } from "./types.js";

/**
 * The handoff ledger's entry types: the human half of the protocol (sign-offs, acceptances, waivers, phase
 * moves) as records. This module says what an entry is and checks its shape; who may write which entry, and
 * what the ledger as a whole says, is in `ledgerRules.ts`. Reading the files is the program's job.
 */

export const ledgerEntryKinds = ["sign-off", "acceptance", "waiver", "phase-move"] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];

/** Evidence of a sign-off: a URL, or a file in the repository with the SHA-256 it had when signed. */
export type Evidence = { url: string } | { path: string; sha256: string };

interface EntryBase {
    /** Unique across the stack's ledger and never reused: reports, waivers and corrections name it. */
    id: string;
    /** GitHub login of who made the entry. */
    by: string;
    /** When, as an ISO 8601 time with a zone (`2026-12-02T07:00:00Z`). */
    at: string;
    note?: string;
}

/** A manual item confirmed by a member of its owner team. */
export interface SignOff extends EntryBase {
    kind: "sign-off";
    item: ManualItemId;
    evidence?: Evidence;
}

/** The formal handoff meeting of a critical phase (1, 3, 5). */
export interface Meeting {
    /** `YYYY-MM-DD` or an ISO time. */
    date: string;
    attendees: string[];
}

/** A phase accepted by a member of the team it is handed to. */
export interface Acceptance extends EntryBase {
    kind: "acceptance";
    phase: PhaseNumber;
    /** The receiving team's satisfaction, 1–5 (the Handoff Quality Score's input). */
    score: 1 | 2 | 3 | 4 | 5;
    meeting?: Meeting;
}

/** One mandatory gate's violation on one resource (name, URN, or `stack`) let through until `expires`. */
export interface Waiver extends EntryBase {
    kind: "waiver";
    gate: GateId;
    resource: string;
    reason: string;
    /** ISO time; at most `maximumWaiverDays` after `at`. */
    expires: string;
    /** The blocker ID the waiver answers (`BLOCKER-…`). */
    blocker?: string;
}

/** The stack's phase advanced by one, or rolled back (with a second person from the other team). */
export interface PhaseMove extends EntryBase {
    kind: "phase-move";
    from: PhaseNumber;
    to: PhaseNumber;
    reason?: string;
    second?: string;
}

export type LedgerEntry = SignOff | Acceptance | Waiver | PhaseMove;

/** An entry with the ledger file it was read from (relative to the repository, e.g. `handoff/prod/waivers.yaml`). */
export interface LedgerRecord {
    file: string;
    entry: LedgerEntry;
}

/** The ledger files of a stack, relative to `handoff/<stack>/`, and the kind each holds. */
export const ledgerFiles = {
    signOffs: { Kilo: "sign-offs/kilo.yaml", Cline: "sign-offs/cline.yaml" },
    acceptances: "acceptances.yaml",
    waivers: "waivers.yaml",
    phaseMoves: "phase-moves.yaml",
} as const;

/** The ledger's folder in the repository: each stack's ledger is `handoff/<stack>/`. */
export const ledgerRoot = "handoff";

/** Evidence files live here (relative to the repository). */
export const evidenceFolder = `${ledgerRoot}/evidence`;

/**
 * Names Pulumi accepts as stack names that cannot be a stack's ledger folder `handoff/<stack>/`: `evidence`
 * (handoff/evidence/ holds the evidence files), `.` and `..` (not a folder of their own). A message, or undefined.
 */
export function ledgerFolderProblem(stack: string): string | undefined {
    if (`${ledgerRoot}/${stack}` === evidenceFolder) return `cannot be a ledger folder: ${evidenceFolder}/ holds the evidence files`;
    if (stack === "." || stack === "..") return `cannot be a ledger folder: ${ledgerRoot}/${stack}/ is not a folder of its own`;
    return undefined;
}

/** A waiver may run at most this many days from the day it is written. */
export const maximumWaiverDays = 14;

/** Blocker categories whose gates can never be waived. */
export const nonWaivableCategories: readonly string[] = ["Security vulnerabilities", "Compliance violations"];
/** Gates that can never be waived, whatever their category. */
export const nonWaivableGates: readonly GateId[] = ["p5-live-payment-keys-only-at-phase-5"];

export function isWaivable(gate: GateId, blockerCategory: string): boolean {
    return !nonWaivableGates.includes(gate) && !nonWaivableCategories.includes(blockerCategory);
}

/** Which ledger file an entry belongs in (relative to `handoff/<stack>/`); a sign-off goes to its item owner's file. */
export function ledgerFileFor(kind: LedgerEntryKind, signOffOwner?: TeamName): string {
    switch (kind) {
        case "sign-off":
            return ledgerFiles.signOffs[signOffOwner ?? "Kilo"];
        case "acceptance":
            return ledgerFiles.acceptances;
        case "waiver":
            return ledgerFiles.waivers;
        case "phase-move":
            return ledgerFiles.phaseMoves;
    }
}

/** Every ledger file of a stack, relative to `handoff/<stack>/`, with the kind it holds. */
export const ledgerFileKinds: readonly { file: string; kind: LedgerEntryKind; team?: TeamName }[] = [
    { file: ledgerFiles.signOffs.Kilo, kind: "sign-off", team: "Kilo" },
    { file: ledgerFiles.signOffs.Cline, kind: "sign-off", team: "Cline" },
    { file: ledgerFiles.acceptances, kind: "acceptance" },
    { file: ledgerFiles.waivers, kind: "waiver" },
    { file: ledgerFiles.phaseMoves, kind: "phase-move" },
];

/** A shape problem of one entry: the file, the entry's id (or its position), the field and what is valid. */
export interface LedgerProblem {
    file: string;
    /** The entry's id, or `#<index>` when it has none. */
    entry: string;
    field: string;
    given?: string;
    expected: string;
}

export function formatLedgerProblem(p: LedgerProblem): string {
    return `${p.file}: entry ${p.entry}: ${p.field}: ${p.given === undefined ? "" : `got ${p.given}; `}${p.expected}`;
}

const isoTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const sha256Pattern = /^[0-9a-f]{64}$/;

/** An ISO 8601 time with a zone, as milliseconds; undefined when the text is not one. */
export function isoTime(text: unknown): number | undefined {
    if (typeof text !== "string" || !isoTimePattern.test(text)) return undefined;
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function render(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An evidence path must stay inside the repository: relative, forward slashes, no `..`. */
export function isRepositoryPath(text: string): boolean {
    return text.length > 0 && !text.startsWith("/") && !text.includes("\\") && !text.split("/").some((part) => part === ".." || part === "." || part === "");
}

const allowedFields: Record<LedgerEntryKind, readonly string[]> = {
    "sign-off": ["id", "kind", "by", "at", "note", "item", "evidence"],
    acceptance: ["id", "kind", "by", "at", "note", "phase", "score", "meeting"],
    waiver: ["id", "kind", "by", "at", "note", "gate", "resource", "reason", "expires", "blocker"],
    "phase-move": ["id", "kind", "by", "at", "note", "from", "to", "reason", "second"],
};

function isPhase(value: unknown): value is PhaseNumber {
    const allowed: readonly unknown[] = phaseNumbers;
    return allowed.includes(value);
}

function isScore(value: unknown): value is Acceptance["score"] {
    return value === 1 || value === 2 || value === 3 || value === 4 || value === 5;
}

/**
 * Checks one raw entry's shape. Returns the typed entry, or the problems (every one, each naming the field
 * and what is valid). `expectedKind` is the kind the file holds.
 */
export function parseLedgerEntry(
    raw: unknown,
    file: string,
    index: number,
    expectedKind?: LedgerEntryKind,
): { entry?: LedgerEntry; problems: LedgerProblem[] } {
    const problems: LedgerProblem[] = [];
    const at =
        (entry: string) =>
        (field: string, expected: string, given?: unknown): void => {
            problems.push({ file, entry, field, expected, ...(given === undefined ? {} : { given: render(given) }) });
        };
    if (!isRecord(raw)) {
        at(`#${index}`)("(entry)", "expected a mapping with id, kind, by, at and the kind's fields", raw);
        return { problems };
    }
    const id = typeof raw["id"] === "string" && idPattern.test(raw["id"]) ? raw["id"] : undefined;
    const problem = at(id ?? `#${index}`);
    if (id === undefined) problem("id", "expected a unique id (letters, digits, '.', '_', ':' or '-')", raw["id"]);
    const kind = ledgerEntryKinds.find((k) => k === raw["kind"]);
    if (kind === undefined) {
        problem("kind", `expected one of ${ledgerEntryKinds.join(", ")}`, raw["kind"]);
        return { problems };
    }
    if (expectedKind !== undefined && kind !== expectedKind) problem("kind", `this file holds ${expectedKind} entries only`, kind);
    for (const key of Object.keys(raw)) {
        if (!allowedFields[kind].includes(key)) problem(key, `unknown field of a ${kind} entry; known fields: ${allowedFields[kind].join(", ")}`);
    }
    const by = typeof raw["by"] === "string" && loginPattern.test(raw["by"]) ? raw["by"] : undefined;
    if (by === undefined) problem("by", "expected a GitHub login", raw["by"]);
    const when = isoTime(raw["at"]) === undefined ? undefined : String(raw["at"]);
    if (when === undefined) problem("at", "expected an ISO 8601 time with a zone, e.g. 2026-12-02T07:00:00Z", raw["at"]);
    const note = raw["note"];
    if (note !== undefined && typeof note !== "string") problem("note", "expected text", note);
    const base = { id: id ?? "", by: by ?? "", at: when ?? "", ...(typeof note === "string" ? { note } : {}) };

    switch (kind) {
        case "sign-off": {
            const item = typeof raw["item"] === "string" && isManualItemId(raw["item"]) ? raw["item"] : undefined;
            if (item === undefined)
                problem("item", "expected the id of a manual protocol item, e.g. p2.alerting-tested (npm run handoff -- status lists them)", raw["item"]);
            let evidence: Evidence | undefined;
            const rawEvidence = raw["evidence"];
            if (rawEvidence !== undefined) {
                if (
                    isRecord(rawEvidence) &&
                    typeof rawEvidence["url"] === "string" &&
                    /^https:\/\/\S+$/.test(rawEvidence["url"]) &&
                    Object.keys(rawEvidence).length === 1
                ) {
                    evidence = { url: rawEvidence["url"] };
                } else if (
                    isRecord(rawEvidence) &&
                    typeof rawEvidence["path"] === "string" &&
                    isRepositoryPath(rawEvidence["path"]) &&
                    typeof rawEvidence["sha256"] === "string" &&
                    sha256Pattern.test(rawEvidence["sha256"]) &&
                    Object.keys(rawEvidence).length === 2
                ) {
                    evidence = { path: rawEvidence["path"], sha256: rawEvidence["sha256"] };
                } else {
                    problem("evidence", "expected { url: https://… } or { path: <file in the repository>, sha256: <64 hex digits> }", rawEvidence);
                }
            }
            if (problems.length > 0 || item === undefined) return { problems };
            return { entry: { ...base, kind, item, ...(evidence ? { evidence } : {}) }, problems };
        }
        case "acceptance": {
            const phase = isPhase(raw["phase"]) ? raw["phase"] : undefined;
            if (phase === undefined) problem("phase", "expected a phase number from 1 to 5", raw["phase"]);
            const score = isScore(raw["score"]) ? raw["score"] : undefined;
            if (score === undefined) problem("score", "expected a whole number from 1 to 5", raw["score"]);
            let meeting: Meeting | undefined;
            const rawMeeting = raw["meeting"];
            if (rawMeeting !== undefined) {
                const date = isRecord(rawMeeting) ? rawMeeting["date"] : undefined;
                const attendees = isRecord(rawMeeting) ? rawMeeting["attendees"] : undefined;
                const dateOk = typeof date === "string" && (datePattern.test(date) || isoTime(date) !== undefined) && !Number.isNaN(Date.parse(date));
                const attendeesOk = Array.isArray(attendees) && attendees.length > 0 && attendees.every((a) => typeof a === "string" && loginPattern.test(a));
                if (!isRecord(rawMeeting) || !dateOk) problem("meeting.date", "expected the meeting's date, YYYY-MM-DD or an ISO time", date);
                if (!attendeesOk) problem("meeting.attendees", "expected a list of GitHub logins", attendees);
                if (isRecord(rawMeeting) && dateOk && attendeesOk && typeof date === "string" && Array.isArray(attendees)) {
                    meeting = { date, attendees: attendees.filter((a): a is string => typeof a === "string") };
                }
            }
            if (problems.length > 0 || phase === undefined || score === undefined) return { problems };
            return { entry: { ...base, kind, phase, score, ...(meeting ? { meeting } : {}) }, problems };
        }
        case "waiver": {
            const gate = typeof raw["gate"] === "string" && isGateId(raw["gate"]) ? raw["gate"] : undefined;
            if (gate === undefined) problem("gate", "expected a gate id (policy/README.md lists them)", raw["gate"]);
            const resource = typeof raw["resource"] === "string" && raw["resource"].trim() !== "" ? raw["resource"] : undefined;
            if (resource === undefined) problem("resource", "expected a resource name, a URN, or `stack`", raw["resource"]);
            const reason = typeof raw["reason"] === "string" && raw["reason"].trim() !== "" ? raw["reason"] : undefined;
            if (reason === undefined) problem("reason", "expected the reason, as text", raw["reason"]);
            const expires = isoTime(raw["expires"]) === undefined ? undefined : String(raw["expires"]);
            if (expires === undefined) problem("expires", "expected an ISO 8601 time with a zone", raw["expires"]);
            const blocker = raw["blocker"];
            if (blocker !== undefined && (typeof blocker !== "string" || !blocker.startsWith("BLOCKER-")))
                problem("blocker", "expected a blocker ID, BLOCKER-…", blocker);
            if (problems.length > 0 || gate === undefined || resource === undefined || reason === undefined || expires === undefined) return { problems };
            return { entry: { ...base, kind, gate, resource, reason, expires, ...(typeof blocker === "string" ? { blocker } : {}) }, problems };
        }
        case "phase-move": {
            const from = isPhase(raw["from"]) ? raw["from"] : undefined;
            if (from === undefined) problem("from", "expected a phase number from 1 to 5", raw["from"]);
            const to = isPhase(raw["to"]) ? raw["to"] : undefined;
            if (to === undefined) problem("to", "expected a phase number from 1 to 5", raw["to"]);
            if (from !== undefined && to !== undefined && from === to) problem("to", `expected a phase other than ${from} (the phase moved from)`, to);
            const reason = raw["reason"];
            if (reason !== undefined && typeof reason !== "string") problem("reason", "expected text", reason);
            const second = raw["second"];
            if (second !== undefined && (typeof second !== "string" || !loginPattern.test(second))) problem("second", "expected a GitHub login", second);
            if (problems.length > 0 || from === undefined || to === undefined) return { problems };
            return {
                entry: { ...base, kind, from, to, ...(typeof reason === "string" ? { reason } : {}), ...(typeof second === "string" ? { second } : {}) },
                problems,
            };
        }
    }
}

/**
 * Checks a whole ledger document (its top level is a sequence of entries; an empty document has none) and
 * that ids are unique across `seen` (the stack's other files).
 */
export function parseLedgerDocument(
    document: unknown,
    file: string,
    expectedKind: LedgerEntryKind | undefined,
    seen: Map<string, string> = new Map(),
): { records: LedgerRecord[]; problems: LedgerProblem[] } {
    if (document === null || document === undefined) return { records: [], problems: [] };
    if (!Array.isArray(document)) {
        return {
            records: [],
            problems: [{ file, entry: "(document)", field: "(top level)", expected: "expected a sequence of entries (`- id: …`)", given: render(document) }],
        };
    }
    const records: LedgerRecord[] = [];
    const problems: LedgerProblem[] = [];
    document.forEach((raw, index) => {
        const parsed = parseLedgerEntry(raw, file, index, expectedKind);
        problems.push(...parsed.problems);
        if (!parsed.entry) return;
        const other = seen.get(parsed.entry.id);
        if (other !== undefined) {
            problems.push({ file, entry: parsed.entry.id, field: "id", expected: `ids are unique across the stack's ledger; also used in ${other}` });
            return;
        }
        seen.set(parsed.entry.id, file);
        records.push({ file, entry: parsed.entry });
    });
    return { records, problems };
}
