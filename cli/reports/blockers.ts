import { type GateReportInput, blockerIds, gateOf, messageParts, protocolSeverity, sortedVerdicts, shortUrn } from "../analyzer/index.js";
import type { Verdict } from "../analyzer/index.js";
import type { Protocol } from "../../policy/protocol/index.js";
import { ledgerSections } from "./ledgerSections.js";

/** The field values of one Blocker Report, keyed by the protocol template's field names. */
export function blockerFields(verdict: Verdict, id: string, input: GateReportInput): Record<string, string> {
    const { protocol, plan } = input;
    const gate = gateOf(verdict);
    const phase = protocol.phases.find((p) => p.number === verdict.phase);
    const owner = gate?.owner ?? phase?.owner ?? "Kilo";
    const severity = protocolSeverity(gate?.severity);
    const { problem, fix } = messageParts(verdict.message);
    const first = protocol.escalationPath[0];
    const metric = protocol.deploymentSuccessMetrics.find((m) => m.name === "Blocker Resolution Time");
    return {
        "Blocker ID": id,
        "Date Reported": "at the preflight run that produced this report (reports carry no clock, so identical input gives identical bytes)",
        "Reported By": `gate ${verdict.policy} (policy pack vauntico-handoff-gates, via preflight)`,
        Severity: severity,
        Description: problem,
        Impact:
            `${gate ? `blocks artifact "${gate.artifact}"; ` : ""}the phase ${verdict.phase}${phase ? ` (${phase.name})` : ""} handoff${phase ? ` from ${phase.owner} to ${phase.handedTo}` : ""} cannot proceed, and \`pulumi preview\`/\`up\` with the pack fails` +
            `${gate ? `. Critical blocker category: ${gate.blockerCategory}` : ""}`,
        "Root Cause": `${gate ? `criterion "${gate.criterion}" does not hold` : "a mandatory gate fails"} on ${verdict.urn === null ? `stack ${plan.stack}` : `\`${shortUrn(verdict.urn)}\``}`,
        "Reproduction Steps": `\`npm run preflight -- --stack ${plan.stack}\` (or \`pulumi preview --stack ${plan.stack} --policy-pack policy\`)`,
        "Phase Affected": `Phase ${verdict.phase}${phase ? ` — ${phase.name}` : ""}`,
        "Team Responsible": owner,
        "Current Owner": `${owner} team lead`,
        Status: "New",
        "Immediate Actions": "deployment stopped by the mandatory gate",
        "Proposed Solution": fix,
        "Resources Needed": "none beyond the responsible team",
        "Estimated Resolution Time": severity === "Critical" && metric ? metric.target : "within the current phase",
        "Stakeholders Notified": protocol.statusUpdates.recipients.join(", "),
        "Next Update": protocol.statusUpdates.frequency,
        "Escalation Level": first
            ? `${first.level} (${first.audience}, ${first.deadline}); if unresolved: ${protocol.escalationPath
                  .slice(1)
                  .map((l) => `L${l.level} ${l.deadline}`)
                  .join(", ")}`
            : "1",
    };
}

/** One Blocker Report in the protocol template's sections and field order. */
export function renderBlocker(fields: Record<string, string>, protocol: Protocol): string {
    const lines = ["# BLOCKER REPORT"];
    for (const { section, fields: names } of protocol.blockerReportTemplate) {
        lines.push("", `## ${section}`);
        for (const name of names) lines.push(`- **${name}**: ${fields[name] ?? "—"}`);
    }
    return lines.join("\n");
}

/** One Blocker Report, in the protocol's template, per mandatory violation. */
export function blockersReport(input: GateReportInput): string {
    const mandatory = sortedVerdicts(input.verdicts).filter((v) => v.enforcement === "mandatory");
    const header = [`# Blocker Reports — stack ${input.plan.stack} (${input.plan.project}), phase ${input.plan.phase}`, ""];
    // Waived blockers are advisory until their waiver expires: the ledger section lists them with their approver.
    const ledger = ["", "---", "", ...ledgerSections(input.ledger)];
    if (mandatory.length === 0) {
        return `${[...header, `No blockers: no mandatory gate is violated at phase ${input.plan.phase}.`, ...ledger].join("\n")}\n`;
    }
    header.push(`${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}, one report each.`);
    const ids = blockerIds(mandatory);
    const reports = mandatory.map((v) => renderBlocker(blockerFields(v, ids.get(v) ?? "BLOCKER-?", input), input.protocol));
    return `${[...header, ...reports.flatMap((r) => ["", "---", "", r]), ...ledger].join("\n")}\n`;
}
