import * as fs from "node:fs";
import * as path from "node:path";
import { type Document, isSeq, parseDocument } from "yaml";
import { type LedgerEntry, type TeamName, ledgerFileFor } from "../../policy/protocol/index.js";
import { ledgerFolder } from "../../stacks/index.js";
import type { HandoffSession } from "./session.js";

/** One file's new text, computed before anything is written. */
export interface FileEdit {
    file: string;
    text: string;
}

const toStringOptions = { lineWidth: 0 } as const;

function documentOf(file: string): Document {
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const document = parseDocument(text);
    if (document.errors.length > 0) throw new Error(`${file}: not valid YAML: ${document.errors[0]?.message ?? "parse error"}`);
    return document;
}

/** The ledger file with `entry` appended, through the YAML Document API so the file's comments are kept. */
export function appendEntryEdit(session: HandoffSession, entry: LedgerEntry, signOffOwner?: TeamName): FileEdit {
    const file = path.join(session.projectDir, ledgerFolder(session.stack), ledgerFileFor(entry.kind, signOffOwner));
    const document = documentOf(file);
    if (document.contents === null) document.contents = document.createNode([]);
    if (!isSeq(document.contents)) throw new Error(`${file}: the top level is not a sequence of entries`);
    document.contents.add(document.createNode(entry));
    return { file, text: document.toString(toStringOptions) };
}

/** The stack file with `config.<key>` changed, comments and the rest of the file kept as they are. */
export function stackFileEdit(session: HandoffSession, change: (document: Document) => void): FileEdit {
    const document = documentOf(session.stackFilePath);
    change(document);
    return { file: session.stackFilePath, text: document.toString(toStringOptions) };
}

/** Appends `value` to the sequence at `config.<key>` of a stack file document, creating it when absent. */
export function appendToConfigList(document: Document, key: string, value: unknown): void {
    const existing = document.getIn(["config", key]);
    if (isSeq(existing)) existing.add(document.createNode(value));
    else document.setIn(["config", key], document.createNode([value]));
}

/** Writes every edit (each through a temporary file and a rename), only once all were computed. */
export function applyEdits(edits: readonly FileEdit[]): void {
    for (const { file, text } of edits) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, text);
        fs.renameSync(temporary, file);
    }
}
