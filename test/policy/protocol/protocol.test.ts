import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
    blockerReportTemplate,
    criticalBlockerCategories,
    deploymentSuccessMetrics,
    escalationPath,
    gateIds,
    handoffChecklist,
    manualItems,
    phases,
    smoothHandoffIndicators,
    documentationUpdates,
    handoffMeetings,
    statusUpdates,
} from "../../../policy/protocol/index.js";
import { sharedDir } from "../../support/stackFiles.js";

const protocolText = readFileSync(path.join(sharedDir, "protocol/HANDOFF_PROTOCOL.md"), "utf8");
const lines = protocolText.split("\n");

/** Markdown decoration the data does not keep: backticks around file names. */
function plain(text: string): string {
    return text.replace(/`/g, "").trim();
}

/** The list items (`- x`, `- [ ] x`, the misprinted `- [ } x`) between a heading line and the next blank-then-non-list line. */
function listAfter(startIndex: number): string[] {
    const items: string[] = [];
    for (let i = startIndex + 1; i < lines.length; i++) {
        const line = lines[i] ?? "";
        const match = /^\s*(?:-|\d+\.)\s+(?:\[[ x][\]}]\s+)?(.*)$/.exec(line);
        if (match?.[1] !== undefined) items.push(match[1].trim());
        else if (line.trim() !== "" && items.length > 0) break;
        else if (line.trim() !== "" && !line.startsWith("**")) break;
    }
    return items;
}

interface ParsedPhase {
    number: number;
    name: string;
    objective: string;
    responsibilities: string[];
    criteria: string[];
    artifacts: string[];
    from: string;
    to: string;
}

function parsePhases(): ParsedPhase[] {
    const parsed: ParsedPhase[] = [];
    lines.forEach((line, index) => {
        const heading = /^### Phase (\d): (.+) \((\w+) Responsibilities\)$/.exec(line);
        if (!heading) return;
        const sectionEnd = lines.findIndex((l, i) => i > index && l.startsWith("---"));
        const section = lines.slice(index, sectionEnd);
        const at = (prefix: string): number => index + section.findIndex((l) => l.startsWith(prefix) || l.trim().startsWith(prefix));
        const field = (label: string): string => {
            const found = section.find((l) => l.includes(`**${label}**:`));
            return (found ?? "").split(`**${label}**:`)[1]?.trim() ?? "";
        };
        parsed.push({
            number: Number(heading[1]),
            name: heading[2] ?? "",
            objective: field("Objective"),
            responsibilities: listAfter(at(`**${heading[3]} Responsibilities**`)),
            criteria: listAfter(at("**Handoff Criteria**")),
            artifacts: listAfter(at("- **Artifacts**")),
            from: field("From").split(" ")[0] ?? "",
            to: field("To").split(" ")[0] ?? "",
        });
    });
    return parsed;
}

const parsedPhases = parsePhases();

describe("the protocol text is fully present in the data", () => {
    it("finds all five phases in the text (the parser works)", () => {
        expect(parsedPhases.map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
        expect(parsedPhases.every((p) => p.responsibilities.length >= 6 && p.criteria.length >= 4 && p.artifacts.length >= 4)).toBe(true);
    });

    for (const parsed of parsedPhases) {
        describe(`phase ${parsed.number} ${parsed.name}`, () => {
            const phase = phases.find((p) => p.number === parsed.number);
            it("has the name, objective, owner and receiving team", () => {
                expect(phase?.name).toBe(parsed.name);
                expect(phase?.objective).toBe(parsed.objective);
                expect(phase?.owner).toBe(parsed.from);
                expect(phase?.handedTo).toBe(parsed.to);
            });
            it("has every responsibility, in order", () => {
                expect(phase?.responsibilities.map((r) => plain(r.text))).toEqual(parsed.responsibilities.map(plain));
            });
            it("has every handoff criterion, in order", () => {
                expect(phase?.criteria.map((c) => plain(c.text))).toEqual(parsed.criteria.map(plain));
            });
            it("has every artifact, in order", () => {
                expect(phase?.artifacts.map((a) => plain(a.name))).toEqual(parsed.artifacts.map(plain));
            });
        });
    }

    it("has every handoff checklist item, stage by stage (including the line written `[ }`)", () => {
        const stages = ["Pre-Handoff Preparation", "Handoff Execution", "Post-Handoff Follow-up"];
        for (const stage of stages) {
            const textItems = listAfter(lines.findIndex((l) => l === `### ${stage}`));
            const data = handoffChecklist.find((s) => s.stage === stage);
            expect(data?.items.map((i) => i.text)).toEqual(textItems);
        }
        expect(handoffChecklist.flatMap((s) => s.items)).toHaveLength(15);
    });

    it("has the escalation path with its deadlines", () => {
        const textLevels = listAfter(lines.findIndex((l) => l.startsWith("**Escalation Path**")));
        expect(textLevels).toHaveLength(4);
        textLevels.forEach((text, index) => {
            const level = escalationPath[index];
            expect(text).toContain(`Level ${level?.level}`);
            expect(text).toContain(level?.audience ?? "missing");
            expect(text).toContain(`(${level?.deadline})`);
        });
    });

    it("has every critical blocker category and the blocker template's fields", () => {
        expect(criticalBlockerCategories).toEqual(listAfter(lines.findIndex((l) => l.startsWith("**Critical Blockers**"))));
        for (const { section, fields } of blockerReportTemplate) {
            expect(protocolText).toContain(`## ${section}`);
            for (const field of fields) expect(protocolText).toContain(`- **${field}**:`);
        }
    });

    it("has the meeting rules: phases 1, 3 and 5 meet formally, 2 and 4 may be asynchronous", () => {
        expect(protocolText).toContain("**Critical Phases**: 1, 3, and 5 require formal handoff meetings");
        expect(phases.filter((p) => p.formalMeeting).map((p) => p.number)).toEqual([1, 3, 5]);
    });

    it("has every success indicator and metric", () => {
        expect(smoothHandoffIndicators).toEqual(listAfter(lines.findIndex((l) => l === "### Smooth Handoff Indicators")));
        const metricLines = listAfter(lines.findIndex((l) => l === "### Deployment Success Metrics"));
        expect(deploymentSuccessMetrics.map((m) => `**${m.name}**: ${m.target}`)).toEqual(metricLines);
        expect(documentationUpdates).toEqual(listAfter(lines.findIndex((l) => l === "### Documentation Updates")));
    });

    it("has the communication protocol: status updates and handoff meeting rules", () => {
        expect(protocolText).toContain(`- **Frequency**: ${statusUpdates.frequency}`);
        expect(protocolText).toContain(`- **Format**: Use \`${statusUpdates.format}\` template`);
        expect(protocolText).toContain(`- **Channels**: ${statusUpdates.channels.join(", ")}`);
        expect(protocolText).toContain("- **Recipients**: Both Kilo and Cline teams, stakeholders");
        expect(protocolText).toContain(`- **Duration**: ${handoffMeetings.maximumMinutes} minutes maximum`);
        expect(protocolText).toContain(`- **Agenda**: ${handoffMeetings.agenda.join(", ")}`);
    });

    it("has the tracking matrix's rows", () => {
        const rows = lines.filter((l) => /^\| \d\. /.test(l)).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
        expect(rows).toHaveLength(5);
        rows.forEach((row, index) => {
            const phase = phases[index];
            expect(row[0]).toBe(phase?.matrix.name);
            expect(row[1]).toBe(phase?.owner);
            expect(row[2]).toBe(phase?.handedTo);
            expect(row[3]).toBe(phase?.matrix.keyArtifacts.join(", "));
            expect(row[4]).toBe(phase?.matrix.validationCriteria.join(", "));
        });
    });
});

describe("every item is automated (names gates) or manual (names a team)", () => {
    it("names only known gates, and every gate is named by some item", () => {
        const named = new Set<string>();
        for (const phase of phases) {
            for (const item of [...phase.responsibilities, ...phase.criteria]) {
                if (item.check.kind === "automated") {
                    expect(item.check.gates.length).toBeGreaterThan(0);
                    item.check.gates.forEach((g) => named.add(g));
                } else {
                    expect(["Kilo", "Cline"]).toContain(item.check.confirmedBy);
                    expect(item.check.how.length).toBeGreaterThan(0);
                }
            }
        }
        expect([...named].sort()).toEqual([...gateIds].sort());
    });

    it("lists the manual items with their owners", () => {
        const manual = manualItems();
        expect(manual).toContainEqual(expect.objectContaining({ phase: 5, criterion: "Beta invitations sent", owner: "Kilo" }));
        expect(manual).toContainEqual(expect.objectContaining({ phase: 2, criterion: "All validation tests passing", owner: "Cline" }));
    });
});

describe("manual item ids", () => {
    it("every manual responsibility, criterion and artifact has a unique id naming its phase", async () => {
        const { manualProtocolItems, phases } = await import("../../../policy/protocol/index.js");
        const items = manualProtocolItems();
        const manualCount = phases.reduce((n, phase) =>
            n + [...phase.responsibilities, ...phase.criteria].filter((i) => i.check.kind === "manual").length
              + phase.artifacts.filter((a) => a.source.kind === "manual").length, 0);
        expect(items).toHaveLength(manualCount);
        expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
        for (const item of items) expect(item.id).toMatch(new RegExp(`^p${item.phase}\\.[a-z0-9]+(?:-[a-z0-9]+)*$`));
    });
});
