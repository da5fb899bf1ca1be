import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { codeownersFile, type StackTeams } from "../../../cli/codeowners/render.js";

const prod: StackTeams = {
    stack: "prod",
    file: "Pulumi.prod.yaml",
    owner: "vauntico",
    teams: {
        Kilo: { slug: "kilo-dev", lead: "kilo-lead", members: ["kilo-lead"] },
        Cline: { slug: "cline-ops", lead: "cline-lead", members: ["cline-lead"] },
    },
};
const kilo = "@vauntico/kilo-dev";
const cline = "@vauntico/cline-ops";

/** The file's rules as GitHub applies them: `pattern owners…` lines, comments and blank lines skipped. */
function rules(text: string): { pattern: string; owners: string[] }[] {
    return text
        .split("\n")
        .filter((l) => l.trim() !== "" && !l.startsWith("#"))
        .map((l) => {
            const [pattern = "", ...owners] = l.trim().split(/\s+/);
            return { pattern, owners };
        });
}

/** A CODEOWNERS pattern (gitignore-like, as this file uses them) as a glob over repository paths. */
function glob(pattern: string): string {
    if (pattern === "*") return "**";
    const anchored = pattern.replace(/^\//, "");
    return anchored.endsWith("/") ? `${anchored}**` : anchored;
}

/** Who must approve a change to `file`: the owners of the LAST matching rule (GitHub's rule). */
function ownersOf(text: string, file: string): string[] {
    const matching = rules(text).filter((r) => path.matchesGlob(file, glob(r.pattern)));
    return matching.at(-1)?.owners ?? [];
}

describe("CODEOWNERS: who can approve what (last matching pattern wins)", () => {
    const text = codeownersFile([prod]);

    it.each([
        ["handoff/prod/sign-offs/kilo.yaml", [kilo]],
        ["handoff/prod/sign-offs/cline.yaml", [cline]],
        ["handoff/prod/acceptances.yaml", [kilo, cline]],
        ["handoff/prod/waivers.yaml", [kilo, cline]],
        ["handoff/prod/phase-moves.yaml", [kilo, cline]],
        ["handoff/evidence/p2-alerting-test.png", [kilo, cline]],
        ["handoff/prod/sign-offs/other.yaml", [kilo, cline]],
        ["policy/gates/phase1.ts", [kilo, cline]],
        ["policy/protocol/phases.ts", [kilo, cline]],
        ["Pulumi.prod.yaml", [kilo, cline]],
        [".github/workflows/pull-request.yml", [kilo, cline]],
        [".github/CODEOWNERS", [kilo, cline]],
        [".ci/run", [kilo, cline]],
        ["README.md", [kilo, cline]],
    ])("%s → %j", (file, owners) => {
        expect(ownersOf(text, file)).toEqual(owners);
    });

    it("a team's sign-off file never lists the other team", () => {
        expect(ownersOf(text, "handoff/prod/sign-offs/kilo.yaml")).not.toContain(cline);
        expect(ownersOf(text, "handoff/prod/sign-offs/cline.yaml")).not.toContain(kilo);
    });

    it("a stack's sign-off lines name that stack only", () => {
        const staging: StackTeams = {
            ...prod,
            stack: "staging",
            file: "Pulumi.staging.yaml",
            teams: { ...prod.teams, Kilo: { ...prod.teams.Kilo, slug: "kilo-staging" } },
        };
        const both = codeownersFile([prod, staging]);
        expect(ownersOf(both, "handoff/prod/sign-offs/kilo.yaml")).toEqual([kilo]);
        expect(ownersOf(both, "handoff/staging/sign-offs/kilo.yaml")).toEqual(["@vauntico/kilo-staging"]);
        expect(ownersOf(both, "handoff/staging/sign-offs/cline.yaml")).toEqual([cline]);
        expect(ownersOf(both, "policy/index.ts")).toEqual([kilo, cline, "@vauntico/kilo-staging"]);
    });

    it("says in the file what CODEOWNERS cannot express", () => {
        expect(text).toContain("LAST matching pattern");
        expect(text).toMatch(/ONE approval from ANY of them/);
        expect(text).toContain('cannot\n#   say "both teams must approve"');
    });

    it("is pure: the same stacks give the same bytes", () => {
        expect(codeownersFile([prod])).toBe(text);
    });
});
