import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { type LedgerRecord, type LedgerProblem, ledgerFileKinds, ledgerRoot, parseLedgerDocument } from "../policy/protocol/index.js";
import { type ConfigProblem, StackConfigError } from "./config.js";

/** A stack's handoff ledger as the program reads it: every entry with its file, and the evidence files' hashes now. */
export interface Ledger {
    stack: string;
    records: LedgerRecord[];
    /** Evidence path (relative to the repository) → SHA-256 of the file now, or null when it is missing. */
    evidence: Record<string, string | null>;
}

/** `handoff/<stack>` relative to the repository. */
export function ledgerFolder(stack: string): string {
    return `${ledgerRoot}/${stack}`;
}

function asConfigProblem(p: LedgerProblem): ConfigProblem {
    return { key: `${p.file}[${p.entry}].${p.field}`, ...(p.given === undefined ? {} : { given: p.given }), expected: p.expected };
}

export function sha256File(file: string): string | null {
    try {
        return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    } catch {
        return null;
    }
}

/**
 * Reads `handoff/<stack>/` under `projectDir` (each file a YAML sequence of entries; a missing file has
 * none), checks every entry's shape and that ids are unique across the stack, and hashes the evidence files
 * sign-offs point at. Throws one `StackConfigError` naming every bad entry and field. Pure apart from
 * reading files; registers nothing.
 */
export function readLedger(projectDir: string, stack: string): Ledger {
    const records: LedgerRecord[] = [];
    const problems: ConfigProblem[] = [];
    const seen = new Map<string, string>();
    for (const { file, kind } of ledgerFileKinds) {
        const relative = `${ledgerFolder(stack)}/${file}`;
        const full = path.join(projectDir, relative);
        if (!fs.existsSync(full)) continue;
        let document: unknown;
        try {
            document = parse(fs.readFileSync(full, "utf8"));
        } catch (error) {
            problems.push({ key: relative, expected: `not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` });
            continue;
        }
        const parsed = parseLedgerDocument(document, relative, kind, seen);
        records.push(...parsed.records);
        problems.push(...parsed.problems.map(asConfigProblem));
    }
    if (problems.length > 0) throw new StackConfigError(problems);
    const evidence: Record<string, string | null> = {};
    for (const { entry } of records) {
        if (entry.kind === "sign-off" && entry.evidence !== undefined && "path" in entry.evidence) {
            evidence[entry.evidence.path] = sha256File(path.join(projectDir, entry.evidence.path));
        }
    }
    return { stack, records, evidence };
}
