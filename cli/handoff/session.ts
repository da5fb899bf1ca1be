import * as path from "node:path";
import { type LedgerContext, type LedgerState, handoffNow, ledgerState } from "../../policy/protocol/index.js";
import { type Ledger, type StackConfig, StackConfigError, parseStackConfig, readLedger } from "../../stacks/index.js";
import { ledgerContext } from "../analyzer/ledger.js";
import { type StackFileConfig, readStackFile } from "../plan/stackFile.js";

/** Bad input to a `handoff` verb: the argument, what is wrong and what would be valid. Exit 2, nothing written. */
export class HandoffUsageError extends Error {
    /** `argument`: the argument at fault, or undefined when the verb itself is refused (the message then stands alone). */
    constructor(
        public readonly argument: string | undefined,
        message: string,
    ) {
        super(argument === undefined ? message : `${argument}: ${message}`);
        this.name = "HandoffUsageError";
    }
}

/** Everything a verb judges its input against: the stack file, its validated config, its ledger and the ledger's state now. */
export interface HandoffSession {
    projectDir: string;
    stack: string;
    file: StackFileConfig;
    stackFilePath: string;
    config: StackConfig;
    ledger: Ledger;
    context: LedgerContext;
    state: LedgerState;
    now: number;
}

/**
 * Reads the stack file, its config and its ledger, and judges the ledger at the handoff clock's now. Throws a
 * `StackConfigError` (config or ledger shape) or an `Error` for a missing stack file; both mean exit 2.
 */
export function openSession(stack: string, projectDir: string = process.cwd()): HandoffSession {
    const file = readStackFile(projectDir, stack);
    const config = parseStackConfig(file.config, new Set(file.secretKeys));
    const ledger = readLedger(projectDir, stack);
    const now = handoffNow();
    const context = ledgerContext(config, ledger, now);
    return {
        projectDir,
        stack,
        file,
        stackFilePath: path.join(projectDir, `Pulumi.${stack}.yaml`),
        config,
        ledger,
        context,
        state: ledgerState(ledger.records, context),
        now,
    };
}

/** `2026-12-02T07:00:00Z`: the handoff clock's time as entries record it (whole seconds). */
export function isoSeconds(ms: number): string {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** A new entry id, unique in the stack's ledger: `<kind>-<time>-<subject>`. */
export function newEntryId(session: HandoffSession, kind: string, subject: string): string {
    const base = `${kind}-${isoSeconds(session.now).replace(/[-:]/g, "")}-${subject}`.replace(/[^A-Za-z0-9._:-]+/g, "-");
    const taken = new Set(session.ledger.records.map((r) => r.entry.id));
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    return id;
}

/** Runs a verb: usage, config and ledger errors go to stderr with exit 2; the verb's own code otherwise. */
export async function runVerb(verb: string, run: () => Promise<number> | number): Promise<number> {
    try {
        return await run();
    } catch (error) {
        if (error instanceof HandoffUsageError || error instanceof StackConfigError) {
            process.stderr.write(`handoff ${verb}: ${error.message}\n`);
            return 2;
        }
        if (error instanceof TypeError && "code" in error && typeof error.code === "string" && error.code.startsWith("ERR_PARSE_ARGS")) {
            process.stderr.write(`handoff ${verb}: ${error.message}\n`);
            return 2;
        }
        if (error instanceof Error && /stack file .* not found/.test(error.message)) {
            process.stderr.write(`handoff ${verb}: --stack: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
}
