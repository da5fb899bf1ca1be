import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { gateListMarkdown, gates } from "../../../policy/gates/index.js";

describe("policy/README.md gate list", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../../policy/README.md"), "utf8");
    it("is the registry's gate list, verbatim", () => {
        const start = readme.indexOf("-->\n", readme.indexOf("<!-- gate-list:start")) + 4;
        const end = readme.indexOf("\n<!-- gate-list:end -->");
        expect(readme.slice(start, end)).toBe(gateListMarkdown());
        expect(gates.every((g) => readme.includes(`| \`${g.id}\` |`))).toBe(true);
    });
    it("says secret-ness is proven outside CrossGuard (pulumi-policy#241)", () => {
        expect(readme).toContain("pulumi-policy#241");
    });
});
