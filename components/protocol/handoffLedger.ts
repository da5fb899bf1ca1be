import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { type LedgerRecord, componentTypes, formatLedgerProblem, parseLedgerEntry } from "../../policy/protocol/index.js";

export interface HandoffLedgerArgs {
    /** The stack whose ledger this is (`handoff/<stack>/`). */
    stack: string;
    /** Every ledger entry with the file it was read from, in file order. */
    records: readonly LedgerRecord[];
    /** Evidence file (repository path) → its SHA-256 as the program read it, or null when missing. */
    evidence: Readonly<Record<string, string | null>>;
}

/** `{ records, evidence }` as JSON: what the carrier carries (compressed) and what its `ledgerSha256` output digests. */
export function carriedLedgerJson(args: Pick<HandoffLedgerArgs, "records" | "evidence">): string {
    return JSON.stringify({ records: args.records.map(({ file, entry }) => ({ file, entry })), evidence: args.evidence });
}

/** The carrier's `ledger` output: the JSON gzipped, base64 (what `carriedLedgers` in the gates reads). */
export function carriedLedgerText(args: Pick<HandoffLedgerArgs, "records" | "evidence">): string {
    return gzipSync(carriedLedgerJson(args)).toString("base64");
}

/** Why the args are unacceptable; empty when they are fine. */
export function handoffLedgerProblems(args: HandoffLedgerArgs): string[] {
    const problems = args.records.flatMap((record, index) => parseLedgerEntry(record.entry, record.file, index).problems.map(formatLedgerProblem));
    const ids = new Set<string>();
    for (const { entry, file } of args.records) {
        if (ids.has(entry.id)) problems.push(`${file}: entry ${entry.id}: id: used twice in the stack's ledger`);
        ids.add(entry.id);
    }
    return problems;
}

/**
 * Carries the stack's handoff ledger into the stack, as `HandoffPhase` carries the phase: the pack sees only
 * resources and config, so the gates judge the ledger from this component's registered outputs. Evidence
 * hashes are computed by the program (which reads files); the gates compare them with the signed ones.
 */
export class HandoffLedger extends pulumi.ComponentResource {
    public static readonly type = componentTypes.handoffLedger;

    public readonly entryCount: number;

    constructor(name: string, args: HandoffLedgerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(HandoffLedger.type, name, {}, opts);
        const problems = handoffLedgerProblems(args);
        if (problems.length > 0) throw new pulumi.ResourceError(`Invalid handoff ledger: ${problems.join("; ")}`, this);
        this.entryCount = args.records.length;
        // The records travel as one compressed text: a 10,000-entry ledger as nested properties costs seconds to
        // encode, send and read through the policy SDK's property proxies, and as plain JSON (2.6 MB) still a
        // quarter second to encode; gzipped it is a twentieth of that. The ledger itself is readable in the
        // repository; the state keeps its digest and size.
        const json = carriedLedgerJson(args);
        this.registerOutputs({
            stack: args.stack,
            entryCount: this.entryCount,
            ledgerSha256: createHash("sha256").update(json).digest("hex"),
            ledger: gzipSync(json).toString("base64"),
        });
    }
}
