import {
    type GateReportInput,
    blockerIds,
    countStates,
    gateOf,
    itemState,
    messageParts,
    phaseItems,
    protocolSeverity,
    sortedVerdicts,
} from "../analyzer/index.js";
import { ledgerSections, qualityScoreLine } from "./ledgerSections.js";
import { markdownTable } from "../../policy/markdown/index.js";

/** The protocol's deployment status update for the stack's current phase. */
export function statusReport(input: GateReportInput): string {
    const { protocol, plan, ledger } = input;
    const confirmed = new Set(ledger.confirmed.map((c) => c.id));
    const verdicts = sortedVerdicts(input.verdicts);
    const mandatory = verdicts.filter((v) => v.enforcement === "mandatory");
    const advisory = verdicts.length - mandatory.length;
    const current = protocol.phases.find((p) => p.number === plan.phase);
    const openManual = protocol.phases
        .filter((p) => p.number <= plan.phase)
        .flatMap((p) => phaseItems(p).map((item) => ({ phase: p.number, item, state: itemState(item, verdicts) })))
        .flatMap(({ phase, item, state }) =>
            state.state === "manual" && item.check.kind === "manual" && !confirmed.has(item.check.id)
                ? [{ phase, id: item.check.id, text: item.text, owner: state.owner }]
                : [],
        );

    const lines: string[] = [
        `# Vauntico Deployment Status Update — stack ${plan.stack}`,
        "",
        `- **Current phase**: ${plan.phase}${current ? ` — ${current.name} (${current.owner} → ${current.handedTo})` : ""}`,
        ...(current ? [`- **Objective**: ${current.objective}`] : []),
        `- **Gates**: ${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}, ${advisory} advisory finding${advisory === 1 ? "" : "s"} (later phases)`,
        `- **Handoff readiness**: ${mandatory.length > 0 ? "blocked by mandatory gates" : `gates pass; ${openManual.length} manual item${openManual.length === 1 ? "" : "s"} to confirm before handing over`}`,
        `- **Handoff Quality Score**: ${qualityScoreLine(ledger)}`,
        ...(current
            ? [
                  `- **Handoff meeting**: ${current.formalMeeting ? "formal meeting required (critical phase)" : "asynchronous handoff allowed"}, ${protocol.handoffMeetings.maximumMinutes} minutes maximum; agenda: ${protocol.handoffMeetings.agenda.join(", ")}`,
              ]
            : []),
        "",
        "## Phase progress",
        "",
        ...markdownTable(
            ["Phase", "Owner → To", "Passed", "Violated", "Open (advisory)", "Manual (open)"],
            protocol.phases.map((phase) => {
                const c = countStates(phaseItems(phase), verdicts);
                return [
                    `${phase.number}. ${phase.name}${phase.number === plan.phase ? " (current)" : ""}`,
                    `${phase.owner} → ${phase.handedTo}`,
                    String(c.passed),
                    String(c.violated),
                    String(c.open),
                    String(c.manual),
                ];
            }),
        ),
    ];

    lines.push("", "## Blockers", "");
    if (mandatory.length === 0) lines.push("None: no mandatory gate is violated.");
    const ids = blockerIds(mandatory);
    for (const v of mandatory) {
        const gate = gateOf(v);
        lines.push(
            `- ${ids.get(v) ?? "BLOCKER-?"} (${protocolSeverity(gate?.severity)}${gate ? `, ${gate.blockerCategory}` : ""}) — ${v.policy}: ${messageParts(v.message).problem}. Responsible: ${gate?.owner ?? "?"}; escalation level 1.`,
        );
    }

    lines.push("", `## Open manual items (phases ≤ ${plan.phase})`, "");
    if (openManual.length === 0) lines.push("None.");
    for (const m of openManual) lines.push(`- [ ] Phase ${m.phase}: ${m.text} — ${m.owner} (\`npm run handoff -- sign ${m.id} --by LOGIN\`)`);

    lines.push("", ...ledgerSections(ledger));

    lines.push("", "## Next steps", "");
    if (mandatory.length > 0) {
        for (const v of mandatory) lines.push(`- ${v.policy}: ${messageParts(v.message).fix}`);
    } else if (current) {
        lines.push(
            `- Confirm the open manual items, then ${current.formalMeeting ? "hold the formal handoff meeting" : "hand off asynchronously"} from ${current.owner} to ${current.handedTo}.`,
        );
        const next = protocol.phases.find((p) => p.number === plan.phase + 1);
        if (next) {
            const upcoming = countStates(phaseItems(next), verdicts);
            lines.push(
                `- Phase ${next.number} (${next.name}, ${next.owner}): ${upcoming.open} item${upcoming.open === 1 ? "" : "s"} still flagged by advisory gates.`,
            );
        }
    }

    lines.push(
        "",
        "## Communication",
        "",
        `- **Frequency**: ${protocol.statusUpdates.frequency}`,
        `- **Format**: ${protocol.statusUpdates.format}`,
        `- **Channels**: ${protocol.statusUpdates.channels.join(", ")}`,
        `- **Recipients**: ${protocol.statusUpdates.recipients.join(", ")}`,
        "",
        "## Escalation path",
        "",
    );
    for (const level of protocol.escalationPath) lines.push(`${level.level}. **Level ${level.level}**: ${level.audience} (${level.deadline})`);
    return `${lines.join("\n")}\n`;
}
