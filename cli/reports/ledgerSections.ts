import type { LedgerView } from "../analyzer/ledger.js";
import { handoffQualityTarget } from "../../policy/protocol/index.js";
import { markdownTable } from "../../policy/markdown/index.js";

/** "4.5/5 = 90% (target 90%+): meets the target", or why there is no score yet. */
export function qualityScoreLine(view: LedgerView): string {
    if (view.qualityScore === null) return `no phase accepted yet (target ${Math.round(handoffQualityTarget * 100)}%+)`;
    const mean = view.qualityScore * 5;
    const percent = Math.round(view.qualityScore * 1000) / 10;
    const meets = view.qualityScore >= handoffQualityTarget;
    return (
        `mean acceptance score ${mean.toFixed(2)}/5 over ${view.accepted.length} accepted phase${view.accepted.length === 1 ? "" : "s"} = ${percent}% ` +
        `(target ${Math.round(handoffQualityTarget * 100)}%+): ${meets ? "meets the target" : "BELOW the target"}`
    );
}

/**
 * The ledger as the reports show it: confirmed items (who, when, evidence), accepted phases (score, meeting),
 * waivers active and expired, and entries that break a rule. `level` is the heading level of the section.
 */
export function ledgerSections(view: LedgerView, level = 2): string[] {
    const h = "#".repeat(level);
    const lines = [`${h} Handoff ledger`, "", `Ledger phase: ${view.phase}. Handoff Quality Score: ${qualityScoreLine(view)}.`];
    lines.push("", `${h}# Confirmed items (${view.confirmed.length})`, "");
    if (view.confirmed.length === 0) lines.push("None: no manual item is signed off yet.");
    else
        lines.push(
            ...markdownTable(
                ["Phase", "Item", "Owner", "Signed by", "At", "Evidence"],
                view.confirmed.map((c) => [String(c.phase), `\`${c.id}\` ${c.text}`, c.owner, c.by, c.at, c.evidence ?? "none recorded"]),
            ),
        );
    lines.push("", `${h}# Accepted phases (${view.accepted.length})`, "");
    if (view.accepted.length === 0) lines.push("None yet.");
    else {
        lines.push(
            ...markdownTable(
                ["Phase", "Accepted by", "At", "Score", "Meeting"],
                view.accepted.map((a) => [
                    String(a.phase),
                    a.by,
                    a.at,
                    `${a.score}/5`,
                    a.meeting ? `${a.meeting.date}: ${a.meeting.attendees.join(", ")}` : "asynchronous",
                ]),
            ),
        );
    }
    const active = view.waivers.filter((w) => w.state === "active");
    const inactive = view.waivers.filter((w) => w.state !== "active");
    lines.push("", `${h}# Waivers (${active.length} active, ${inactive.length} expired or invalid)`, "");
    if (view.waivers.length === 0) lines.push("None.");
    else {
        lines.push(
            ...markdownTable(
                ["State", "Gate", "Resource", "Approved by", "Until", "Reason", "Blocker", "Entry"],
                [...active, ...inactive].map((w) => [w.state, `\`${w.gate}\``, w.resource, w.by, w.expires, w.reason, w.blocker ?? "—", w.entry]),
            ),
        );
    }
    if (view.findings.length > 0) {
        lines.push("", `${h}# Entries that break a rule (${view.findings.length}, each a mandatory violation of handoff-ledger-entries)`, "");
        for (const f of view.findings) lines.push(`- \`${f.file}\` entry **${f.entry}**: ${f.problem}; valid would be ${f.valid}.`);
    }
    return lines;
}
