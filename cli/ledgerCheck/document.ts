import { parseDocument } from "yaml";
import { evidenceFolder, ledgerRoot } from "../../policy/protocol/index.js";

export { ledgerRoot };

/**
 * The ledger's file layout, as the append-only check needs it and no more: it reads any entry kind, present or
 * future, without knowing its fields. `handoff/<stack>/…/*.yaml` are ledger files; `handoff/evidence/…` are
 * evidence files (write-once); anything else under `handoff/` is not checked.
 */
const ledgerFile = /^handoff\/([^/]+)\/.+\.ya?ml$/;

export type LedgerPathKind = "ledger" | "evidence" | "other";

/** What a path (relative, `/`-separated, starting with `handoff/`) holds. */
export function ledgerPathKind(file: string): LedgerPathKind {
    if (file.startsWith(`${evidenceFolder}/`)) return "evidence";
    return ledgerFile.test(file) ? "ledger" : "other";
}

export interface LedgerEntry {
    /** 1-based position in the file, for messages. */
    position: number;
    /** The entry's `id` when it is a non-empty string. */
    id: string | undefined;
    /** The entry as parsed (plain JS values): what is compared. */
    value: unknown;
}

export type LedgerDocument = { readable: true; entries: LedgerEntry[] } | { readable: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A ledger file's entries: a top-level sequence, or a mapping whose `entries:` holds the sequence (other
 * top-level keys are not entries and are not checked). An empty file has no entries. Comments and formatting
 * are not part of an entry.
 */
export function readLedgerDocument(text: string): LedgerDocument {
    const document = parseDocument(text, { uniqueKeys: true });
    const [first] = document.errors;
    if (first) return { readable: false, error: firstLine(first.message) };
    let value: unknown;
    try {
        value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
        return { readable: false, error: firstLine(error instanceof Error ? error.message : String(error)) };
    }
    if (isRecord(value) && !Object.hasOwn(value, "entries")) {
        return { readable: false, error: "a mapping at the top needs an `entries:` sequence (is this a single entry not in a list?)" };
    }
    const sequence = isRecord(value) ? (value["entries"] ?? []) : (value ?? []);
    if (!Array.isArray(sequence)) {
        return { readable: false, error: "expected a sequence of entries, or a mapping with an `entries:` sequence" };
    }
    return {
        readable: true,
        entries: sequence.map((entry: unknown, index) => {
            const id = isRecord(entry) && typeof entry["id"] === "string" && entry["id"] !== "" ? entry["id"] : undefined;
            return { position: index + 1, id, value: entry };
        }),
    };
}

function firstLine(message: string): string {
    return message.split("\n")[0]?.replace(/:$/, "") ?? message;
}
