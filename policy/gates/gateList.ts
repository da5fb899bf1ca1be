import { gates } from "./registry.js";

/** The gate list as Markdown, from the registry (policy/README.md carries it; a test keeps the two equal). */
export function gateListMarkdown(): string {
    const rows = gates.map((g) =>
        `| \`${g.id}\` | ${g.phase} | ${g.kind} | ${g.description} | ${g.criterion} | ${g.owner} | ${g.artifact} | ${g.severity} | ${g.alwaysMandatory === true ? "mandatory at every phase" : `mandatory from phase ${g.phase}`} |`);
    return [
        "| Gate | Phase | Kind | Checks | Criterion | Owner | Blocks artifact | Severity | Enforcement |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}
