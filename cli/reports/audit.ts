import type { LedgerView } from "../analyzer/ledger.js";
import type { LedgerEntry } from "../../policy/protocol/index.js";
import { markdownTable } from "../../policy/markdown/index.js";

function what(entry: LedgerEntry): string {
    switch (entry.kind) {
        case "sign-off":
            return `signed off \`${entry.item}\`${entry.evidence ? ` (evidence ${"url" in entry.evidence ? entry.evidence.url : `${entry.evidence.path}, sha256 ${entry.evidence.sha256}`})` : ""}`;
        case "acceptance":
            return `accepted phase ${entry.phase}, score ${entry.score}/5${entry.meeting ? `, meeting ${entry.meeting.date} with ${entry.meeting.attendees.join(", ")}` : ""}`;
        case "waiver":
            return `waived \`${entry.gate}\` on ${entry.resource} until ${entry.expires} (${entry.reason})${entry.blocker ? ` for ${entry.blocker}` : ""}`;
        case "phase-move":
            return `${entry.to > entry.from ? "advanced" : "rolled back"} phase ${entry.from} → ${entry.to}${entry.second ? ` with ${entry.second}` : ""}${entry.reason ? ` (${entry.reason})` : ""}`;
    }
}

/**
 * `report audit`: the protocol's "version history of all handoff documents" — every ledger entry of the
 * stack in order of time (file order for equal times), who did what, and whether the rules accept it.
 */
export function auditReport(input: { stack: string; project: string; ledger: LedgerView }): string {
    const findings = new Map(input.ledger.findings.map((f) => [f.entry, f]));
    const lines = [
        `# Handoff audit trail — stack ${input.stack} (${input.project})`,
        "",
        `Every entry of \`handoff/${input.stack}/\` in order (the ledger is append-only: a correction is a later entry). ` +
            `${input.ledger.history.length} entr${input.ledger.history.length === 1 ? "y" : "ies"}; ledger phase ${input.ledger.phase}.`,
        "",
    ];
    if (input.ledger.history.length === 0) {
        lines.push("No entry yet.");
        return `${lines.join("\n")}\n`;
    }
    lines.push(
        ...markdownTable(
            ["#", "At", "Kind", "Entry", "By", "What", "File", "Judged"],
            input.ledger.history.map(({ file, entry }, index) => {
                const finding = findings.get(entry.id);
                const judged = finding ? `INVALID: ${finding.problem}` : "valid";
                return [String(index + 1), entry.at, entry.kind, entry.id, entry.by, `${what(entry)}${entry.note ? ` — ${entry.note}` : ""}`, file, judged];
            }),
        ),
    );
    return `${lines.join("\n")}\n`;
}
