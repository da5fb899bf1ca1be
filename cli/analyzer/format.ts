import type { ManualItem } from "./manual.js";
import type { Verdict } from "./evaluate.js";

/** The resource part of a URN (`type::name`), shorter to read than the whole URN. */
export function shortUrn(urn: string | null): string {
    if (urn === null) return "(stack)";
    const parts = urn.split("::");
    return parts.length >= 4 ? `${parts.slice(2).join("::")}` : urn;
}

/** Verdicts for a person: mandatory first, each with its gate, enforcement, resource and message. */
export function formatVerdicts(verdicts: readonly Verdict[], manual: readonly ManualItem[], phase: number): string {
    const mandatory = verdicts.filter((v) => v.enforcement === "mandatory");
    const advisory = verdicts.filter((v) => v.enforcement === "advisory");
    const lines = [`Gates at phase ${phase}: ${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}, ${advisory.length} advisory`];
    for (const verdict of [...mandatory, ...advisory]) {
        lines.push(
            `  ${verdict.enforcement === "mandatory" ? "✗" : "!"} ${verdict.policy} [${verdict.enforcement}] ${shortUrn(verdict.urn)}`,
            `      ${verdict.message}`,
        );
    }
    const open = manual.filter((m) => m.phase <= phase);
    lines.push("", `Manual items open until signed off in the handoff ledger (phases ≤ ${phase}): ${open.length}`);
    for (const item of open)
        lines.push(`  ○ phase ${item.phase}: ${item.id === undefined ? "" : `${item.id} `}${item.criterion} — to be confirmed by ${item.owner}`);
    lines.push("", mandatory.length > 0 ? "Result: BLOCKED by mandatory gates." : "Result: gates of this phase pass.");
    return `${lines.join("\n")}\n`;
}
