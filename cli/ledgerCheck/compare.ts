import { isDeepStrictEqual } from "node:util";
import { type LedgerEntry, readLedgerDocument } from "./document.js";

/** The ledger at one point in history: ledger files by path (their text) and evidence files by path (a content id). */
export interface LedgerSnapshot {
    ledger: ReadonlyMap<string, string>;
    evidence: ReadonlyMap<string, string>;
}

export interface LedgerProblem {
    file: string;
    /** The entry's id (quoted) or position, when the problem is one entry's. */
    entry?: string;
    what: string;
}

export interface LedgerComparison {
    problems: LedgerProblem[];
    /** Ledger files and their entries at the base: what had to stay. */
    baseFiles: number;
    baseEntries: number;
    /** Entries at the head that the base did not have. */
    newEntries: number;
}

const maxShown = 80;

/** A value for a message: JSON, shortened, any `user:password@` of a URL masked (evidence URLs are printed). */
export function renderValue(value: unknown): string {
    const text =
        JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? v.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1***@") : v)) ?? String(value);
    return text.length > maxShown ? `${text.slice(0, maxShown - 3)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What changed between two versions of an entry, field by field. */
export function entryChanges(before: unknown, after: unknown): string[] {
    if (!isRecord(before) || !isRecord(after)) return [`was ${renderValue(before)}, now ${renderValue(after)}`];
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return fields.flatMap((field) => {
        if (!Object.hasOwn(after, field)) return [`${field} removed (was ${renderValue(before[field])})`];
        if (!Object.hasOwn(before, field)) return [`${field} added (${renderValue(after[field])})`];
        return isDeepStrictEqual(before[field], after[field]) ? [] : [`${field}: ${renderValue(before[field])} → ${renderValue(after[field])}`];
    });
}

function groupById(entries: readonly LedgerEntry[]): Map<string, LedgerEntry[]> {
    const groups = new Map<string, LedgerEntry[]>();
    for (const entry of entries) {
        if (entry.id === undefined) continue;
        groups.set(entry.id, [...(groups.get(entry.id) ?? []), entry]);
    }
    return groups;
}

const label = (entry: LedgerEntry): string => (entry.id === undefined ? `#${entry.position}` : JSON.stringify(entry.id));

/**
 * The append-only rule for one ledger file: every base entry is still there, unchanged (compared as parsed
 * values, so comments and formatting may change; the order of an entry's fields does not count); every head
 * entry has an id of its own. An id the base already held twice is matched occurrence by occurrence and not
 * reported again — the history is what it is.
 */
function compareEntries(file: string, base: readonly LedgerEntry[], head: readonly LedgerEntry[]): LedgerProblem[] {
    const problems: LedgerProblem[] = [];
    const baseById = groupById(base);
    const headById = groupById(head);

    for (const [id, before] of baseById) {
        const after = headById.get(id) ?? [];
        before.forEach((entry, k) => {
            const now = after[k];
            if (now === undefined) problems.push({ file, entry: label(entry), what: "deleted" });
            else if (!isDeepStrictEqual(entry.value, now.value))
                problems.push({ file, entry: label(entry), what: `edited: ${entryChanges(entry.value, now.value).join("; ")}` });
        });
    }
    for (const [id, after] of headById) {
        const before = baseById.get(id) ?? [];
        if (after.length > 1 && after.length > before.length) {
            problems.push({
                file,
                entry: JSON.stringify(id),
                what: `id used ${after.length} times (entries ${after.map((e) => `#${e.position}`).join(", ")}); every entry needs an id of its own`,
            });
        }
    }

    // Entries without a usable id: a base one must still be there unchanged; a new one is refused.
    const unmatched = head.filter((e) => e.id === undefined);
    for (const entry of base.filter((e) => e.id === undefined)) {
        const index = unmatched.findIndex((e) => isDeepStrictEqual(e.value, entry.value));
        if (index === -1) problems.push({ file, entry: label(entry), what: "an entry without an id was edited or deleted" });
        else unmatched.splice(index, 1);
    }
    for (const entry of unmatched) {
        problems.push({ file, entry: label(entry), what: "has no id: every entry must be a mapping with a non-empty string `id`" });
    }
    return problems;
}

/** Every way `head` breaks the append-only rule against `base`, ordered by file. */
export function compareLedgers(base: LedgerSnapshot, head: LedgerSnapshot): LedgerComparison {
    const problems: LedgerProblem[] = [];
    let baseEntries = 0;
    let newEntries = 0;
    const files = [...new Set([...base.ledger.keys(), ...head.ledger.keys()])].sort();
    for (const file of files) {
        const baseText = base.ledger.get(file);
        const headText = head.ledger.get(file);
        const before = baseText === undefined ? undefined : readLedgerDocument(baseText);
        // An untouched file (the usual case) is parsed once: parsing is what the check spends its time on.
        const after = headText === undefined ? undefined : headText === baseText ? before : readLedgerDocument(headText);
        if (before !== undefined && !before.readable) {
            // Already merged unreadable: it can no longer be compared entry by entry, so it may not change at all.
            if (headText !== baseText)
                problems.push({ file, what: `changed, but its base version is not a readable ledger (${before.error}), so it may only stay byte-identical` });
            continue;
        }
        const baseList = before?.entries ?? [];
        baseEntries += baseList.length;
        if (after === undefined) {
            const ids = baseList.map(label);
            problems.push({
                file,
                what: `file deleted (it held ${ids.length} entr${ids.length === 1 ? "y" : "ies"}${ids.length > 0 ? `: ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", …" : ""}` : ""})`,
            });
            continue;
        }
        if (!after.readable) {
            problems.push({ file, what: `not a readable ledger: ${after.error}` });
            continue;
        }
        problems.push(...compareEntries(file, baseList, after.entries));
        const kept = new Set(baseList.map((e) => e.id).filter((id) => id !== undefined));
        newEntries += after.entries.filter((e) => e.id !== undefined && !kept.has(e.id)).length;
    }
    for (const file of [...base.evidence.keys()].sort()) {
        const now = head.evidence.get(file);
        const id = base.evidence.get(file);
        if (now === undefined) problems.push({ file, what: "evidence file deleted; evidence is write-once (a sign-off names it by its SHA-256)" });
        else if (now !== id)
            problems.push({ file, what: "evidence file changed; evidence is write-once: add a new file and a new sign-off that supersedes the old one" });
    }
    return { problems, baseFiles: base.ledger.size, baseEntries, newEntries };
}
