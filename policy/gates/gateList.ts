import { markdownTable } from "../markdown/index.js";
import { gates } from "./registry.js";

/** The gate list as Markdown, from the registry (policy/README.md carries it; a test keeps the two equal). */
export function gateListMarkdown(): string {
    return markdownTable(
        ["Gate", "Phase", "Kind", "Checks", "Criterion", "Owner", "Blocks artifact", "Severity", "Enforcement"],
        gates.map((g) => [
            `\`${g.id}\``,
            String(g.phase),
            g.kind,
            g.description,
            g.criterion,
            g.owner,
            g.artifact,
            g.severity,
            g.alwaysMandatory === true ? "mandatory at every phase" : `mandatory from phase ${g.phase}`,
        ]),
    ).join("\n");
}
