import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseRepo } from "../../../cli/blockers/github.js";
import type { GitHubDouble } from "../../doubles/github.js";
import { TestClock, startDouble, token } from "./harness.js";

describe("the GitHub client as `npm run build` compiles it (CommonJS requiring the ESM Octokit packages, Node 24)", () => {
    let double: GitHubDouble;
    let folder: string;
    beforeEach(async () => {
        double = await startDouble(new TestClock("2026-12-02T07:00:00Z"));
        // Inside the project, so `require` finds its node_modules.
        folder = mkdtempSync(join(process.cwd(), ".tmp-github-client-"));
    });
    afterEach(async () => {
        expect(double.violations).toEqual([]);
        await double.close();
        rmSync(folder, { recursive: true, force: true });
    });

    it("loads in plain node and lists issues through the plugins, a 502 retried", async () => {
        const source = readFileSync(join(process.cwd(), "cli", "blockers", "github.ts"), "utf8");
        const compiled = ts.transpileModule(source, {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        });
        writeFileSync(join(folder, "github.js"), compiled.outputText);
        double.fault("get", "/repos/{owner}/{repo}/issues", "bad-gateway");
        const script = [
            `const { githubClient } = require(${JSON.stringify(join(folder, "github.js"))});`,
            `const client = githubClient({ token: process.env.GITHUB_TOKEN, baseUrl: ${JSON.stringify(double.url)}, retryAfterBaseValue: 10, warn: () => {} });`,
            "client.rest.issues.listForRepo({ owner: 'vauntico', repo: 'vauntico-deploy', state: 'all' }).then((r) => process.stdout.write(`status ${r.status}, ${r.data.length} issues`));",
        ].join("\n");
        const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = execFile(
                process.execPath,
                ["-e", script],
                { cwd: process.cwd(), env: { ...process.env, GITHUB_TOKEN: token }, timeout: 30_000, encoding: "utf8" },
                (error, stdout, stderr) => {
                    resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
                },
            );
            child.stdin?.end();
        });
        expect(result.stderr).toBe("");
        expect(result.stdout).toBe("status 200, 0 issues");
        expect(result.code).toBe(0);
        expect(double.requests.map((r) => r.status)).toEqual([502, 200]);
    });
});

describe("--repo", () => {
    it.each(["vauntico/vauntico-deploy", "a/b", "Org-1/repo.name_x"])("%s is OWNER/NAME", (value) => {
        expect(() => parseRepo(value)).not.toThrow();
    });
    it.each(["vauntico", "vauntico/", "/repo", "a/b/c", "-bad/repo", "o/r e"])("%s is refused, naming the flag and the value", (value) => {
        expect(() => parseRepo(value)).toThrow(`--repo: expected OWNER/NAME (e.g. vauntico/vauntico-deploy), got ${JSON.stringify(value)}`);
    });
});
