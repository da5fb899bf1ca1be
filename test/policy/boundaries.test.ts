import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const policyDir = path.resolve(__dirname, "../../policy");

function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (entry.name === "bin" || entry.name === "node_modules") return [];
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : [];
    });
}

function imports(file: string): string[] {
    // `from "x"`, `import "x"`, `require("x")` — not a property named "from" (`raw["from"]`).
    return [...readFileSync(file, "utf8").matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\()["']([^"']+)["']/g)].map((m) => m[1] ?? "");
}

describe("the pack is self-contained", () => {
    it("policy/ imports nothing from components/, stacks/ or cli/, and nothing outside policy/", () => {
        for (const file of sources(policyDir)) {
            for (const specifier of imports(file).filter((s) => s.startsWith("."))) {
                const target = path.resolve(path.dirname(file), specifier);
                expect(target.startsWith(policyDir + path.sep), `${path.relative(policyDir, file)} imports ${specifier}`).toBe(true);
            }
        }
    });
    it("policy/protocol/ imports nothing but itself", () => {
        const protocolDir = path.join(policyDir, "protocol");
        for (const file of sources(protocolDir)) {
            for (const specifier of imports(file)) {
                expect(specifier.startsWith("./"), `${path.relative(policyDir, file)} imports ${specifier}`).toBe(true);
            }
        }
    });
    it("runs compiled JavaScript: package.json main is bin/index.js with a version, PulumiPolicy.yaml says nodejs", () => {
        const pkg: unknown = JSON.parse(readFileSync(path.join(policyDir, "package.json"), "utf8"));
        expect(pkg).toMatchObject({ main: "bin/index.js", version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
        expect(readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    });
});
