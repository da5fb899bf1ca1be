import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { policyPackFolder, policyPackMain } from "../../../cli/analyzer/packFolder.js";

const root = mkdtempSync(path.join(os.tmpdir(), "pack-folder-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function packAt(dir: string, main?: string): string {
    const policy = path.join(dir, "policy");
    mkdirSync(policy, { recursive: true });
    writeFileSync(path.join(policy, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    if (main !== undefined) {
        writeFileSync(path.join(policy, "package.json"), JSON.stringify({ main }));
        writeFileSync(path.join(policy, main), "module.exports = {};\n");
    }
    return policy;
}

describe("policyPackFolder", () => {
    it("finds the nearest policy/ holding PulumiPolicy.yaml, from the folder itself or any depth below", () => {
        const outer = packAt(path.join(root, "outer"));
        const inner = packAt(path.join(root, "outer", "a"));
        const deep = path.join(root, "outer", "a", "b", "c");
        mkdirSync(deep, { recursive: true });
        expect(policyPackFolder(deep)).toBe(inner);
        expect(policyPackFolder(path.join(root, "outer", "a"))).toBe(inner);
        expect(policyPackFolder(path.join(root, "outer"))).toBe(outer);
    });
    it("skips a policy/ folder without PulumiPolicy.yaml", () => {
        const pack = packAt(path.join(root, "skip"));
        mkdirSync(path.join(root, "skip", "x", "policy"), { recursive: true });
        expect(policyPackFolder(path.join(root, "skip", "x"))).toBe(pack);
    });
    it("says so when there is none up to the root", () => {
        const lone = path.join(root, "lone");
        mkdirSync(lone, { recursive: true });
        // The search goes up to the file-system root: the temporary folder has no policy/ above it.
        expect(() => policyPackFolder(lone)).toThrow(`no policy/PulumiPolicy.yaml above ${lone}`);
    });
    it("from this project's sources is the project's policy/", () => {
        expect(policyPackFolder()).toBe(path.resolve(__dirname, "../../../policy"));
    });
});

describe("policyPackMain", () => {
    it("is the pack's compiled entry named by its package.json", () => {
        const pack = packAt(path.join(root, "built"), "entry.js");
        expect(policyPackMain(pack)).toBe(path.join(pack, "entry.js"));
    });
    it("says how to build a pack that is not built", () => {
        const pack = packAt(path.join(root, "unbuilt"));
        expect(() => policyPackMain(pack)).toThrow(`the policy pack in ${pack} is not built: run \`npm run build\``);
    });
});
