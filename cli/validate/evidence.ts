import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evidenceFolder } from "../../policy/protocol/index.js";
import type { ManualItemId } from "../../policy/protocol/types.js";
import { githubLogin } from "../../stacks/config.js";
import { signOptions } from "../handoff/sign.js";

export { evidenceFolder };

export interface RecordedEvidence {
    /** Repository-relative path, e.g. `handoff/evidence/validate-monitoring-2026-12-02T07-30-00Z.md`. */
    path: string;
    sha256: string;
}

/** A file name from the kind and the time (UTC, colons and milliseconds left out so it is portable). */
export function evidenceFileName(kind: string, at: Date): string {
    return `validate-${kind}-${at
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/:/g, "-")}.md`;
}

/** Writes a report as evidence (never over an existing file) and returns its path and SHA-256. */
export function recordEvidence(projectDir: string, kind: string, report: string, at: Date): RecordedEvidence {
    const folder = join(projectDir, evidenceFolder);
    mkdirSync(folder, { recursive: true });
    const name = evidenceFileName(kind, at);
    const bytes = Buffer.from(report, "utf8");
    writeFileSync(join(folder, name), bytes, { flag: "wx" });
    return { path: `${evidenceFolder}/${name}`, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** Who the printed sign lines name (`--by`, a placeholder when not given) and whose ledger they write (`--stack`). */
export interface Signer {
    by: string | undefined;
    stack: string;
}

/** `--by` of a validate command: recorded evidence only, and a GitHub login by the config's rule. A message, or undefined. */
export function signerProblem(by: string | undefined, record: boolean): string | undefined {
    if (by === undefined) return undefined;
    if (!record) return "--by names who signs the recorded evidence; it applies with --record only";
    const checked = githubLogin.safeParse(by);
    return checked.success ? undefined : `--by ${JSON.stringify(by)}: ${checked.error.issues.map((i) => i.message).join("; ")}`;
}

/** The ledger command that cites the evidence for one manual item (`--stack` only when it is not `handoff sign`'s default). */
export function signLine(itemId: ManualItemId, evidence: RecordedEvidence, signer: Signer): string {
    const stack = signer.stack === signOptions.stack.default ? "" : ` --stack ${signer.stack}`;
    return `npm run handoff -- sign ${itemId}${stack} --by ${signer.by ?? "<LOGIN>"} --evidence ${evidence.path}`;
}

/** What `--record` prints: the file, its hash, a sign line per item it answers, and why others are left out. */
export function evidenceLines(
    evidence: RecordedEvidence,
    items: readonly { id: ManualItemId; note?: string }[],
    notAnswered: readonly string[],
    signer: Signer,
): string {
    const lines = [`evidence: ${evidence.path} (sha256 ${evidence.sha256})`];
    for (const item of items) lines.push(`${item.note !== undefined ? `# ${item.note}\n` : ""}${signLine(item.id, evidence, signer)}`);
    for (const reason of notAnswered) lines.push(`# ${reason}`);
    return `${lines.join("\n")}\n`;
}
