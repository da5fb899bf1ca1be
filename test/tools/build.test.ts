import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { projectDir } from "../support/stackFiles.js";

interface Exit {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs node with `args` in `cwd`, killed after `timeoutMs`. */
function node(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<Exit> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk;
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
            stderr += chunk;
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

const realNodeModules = fs.realpathSync(path.join(projectDir, "node_modules"));
const packageJson: { dependencies: Record<string, string>; devDependencies: Record<string, string> } = JSON.parse(
    fs.readFileSync(path.join(projectDir, "package.json"), "utf8"),
);

/** A copy of the project's sources (what the build reads) with `node_modules` linked, in a temporary folder. */
function copyOfProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vauntico-build-"));
    for (const entry of [
        "index.ts",
        "stacks",
        "components",
        "cli",
        "bench",
        "policy",
        "test",
        "tools",
        "tsconfig.json",
        "tsconfig.build.json",
        "package.json",
        "Pulumi.yaml",
        "Pulumi.prod.yaml",
    ]) {
        fs.cpSync(path.join(projectDir, entry), path.join(dir, entry), { recursive: true, filter: (source) => !source.includes(`${path.sep}bin`) });
    }
    fs.symlinkSync(realNodeModules, path.join(dir, "node_modules"), "dir");
    return dir;
}

describe("npm run build", () => {
    it("builds into a directory named by the sources, skips unchanged sources, and never replaces modules under a running preflight", async () => {
        const dir = copyOfProject();
        const build = (): Promise<Exit> => node([path.join(dir, "tools", "build.mjs")], dir, {}, 240_000);
        // The project's own build (made by the test setup) is of the same sources: seeded into the copy, it is
        // what the copy's build must find by its hash, and reuse without compiling. The rebuild below compiles.
        const projectBuild = fs.realpathSync(path.join(projectDir, "dist"));
        const firstTarget = path.join(".build", path.basename(projectBuild));
        fs.cpSync(projectBuild, path.join(dir, firstTarget), { recursive: true, preserveTimestamps: true });
        const compiled = (target: string) => fs.statSync(path.join(dir, target, "cli", "preflight.js")).mtimeMs;
        const seededAt = compiled(firstTarget);
        const first = await build();
        expect(first.code, first.stderr).toBe(0);
        expect(fs.readlinkSync(path.join(dir, "dist"))).toBe(firstTarget);
        expect(firstTarget).toMatch(/^\.build\/[0-9a-f]{16}$/);
        // Unchanged sources: no compile (nothing rewritten, no other build made), same target.
        expect(compiled(firstTarget)).toBe(seededAt);
        expect(fs.readdirSync(path.join(dir, ".build"))).toEqual([path.basename(firstTarget)]);

        // A preflight starts on the first build; the sources change and a rebuild switches `dist` under it.
        const preflights = [node(["dist/cli/preflight.js", "--json"], dir)];
        fs.appendFileSync(path.join(dir, "cli", "preflight.ts"), "\n// changed by the build race test\n");
        const rebuild = await build();
        expect(rebuild.code, rebuild.stderr).toBe(0);
        const secondTarget = fs.readlinkSync(path.join(dir, "dist"));
        expect(secondTarget).toMatch(/^\.build\/[0-9a-f]{16}$/);
        expect(secondTarget).not.toBe(firstTarget);
        expect(fs.existsSync(path.join(dir, "dist", "policy", "index.js"))).toBe(true);
        expect(fs.existsSync(path.join(dir, firstTarget, ".complete")), "the earlier build is kept for processes still running from it").toBe(true);
        const third = node(["dist/cli/preflight.js", "--json"], dir);
        for (const run of [...(await Promise.all(preflights)), await third]) {
            expect(run.code, run.stderr).toBe(0);
            expect(run.stderr).toBe("");
        }
    }, 600_000);

    it("the commands run with no devDependency installed (npm ci --omit=dev): no module of one is loaded, in the command or its pack", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vauntico-omit-dev-"));
        // node_modules without the devDependencies, as `npm ci --omit=dev` leaves it.
        const modules = path.join(dir, "node_modules");
        fs.mkdirSync(modules);
        const dev = new Set(Object.keys(packageJson.devDependencies));
        for (const entry of fs.readdirSync(realNodeModules)) {
            if (entry === ".bin") continue;
            if (entry.startsWith("@")) {
                fs.mkdirSync(path.join(modules, entry));
                for (const scoped of fs.readdirSync(path.join(realNodeModules, entry))) {
                    if (!dev.has(`${entry}/${scoped}`)) fs.symlinkSync(path.join(realNodeModules, entry, scoped), path.join(modules, entry, scoped), "dir");
                }
            } else if (!dev.has(entry)) {
                fs.symlinkSync(path.join(realNodeModules, entry), path.join(modules, entry), "dir");
            }
        }
        const build = fs.realpathSync(path.join(projectDir, "dist"));
        fs.cpSync(build, path.join(dir, ".build", path.basename(build)), { recursive: true });
        fs.symlinkSync(path.join(".build", path.basename(build)), path.join(dir, "dist"), "dir");
        for (const file of ["package.json", "Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
        fs.mkdirSync(path.join(dir, "policy"));
        for (const file of ["package.json", "PulumiPolicy.yaml"]) fs.copyFileSync(path.join(projectDir, "policy", file), path.join(dir, "policy", file));

        // Every process records the modules it loaded; the pack inherits NODE_OPTIONS.
        const records = fs.mkdtempSync(path.join(os.tmpdir(), "vauntico-modules-"));
        const hook = path.join(records, "record.cjs");
        // The pack is stopped by a signal (no exit event): it records as it goes, too.
        fs.writeFileSync(
            hook,
            [
                `const record = () => require("node:fs").writeFileSync(${JSON.stringify(records)} + "/" + process.pid + ".json", JSON.stringify(Object.keys(require.cache)));`,
                "setInterval(record, 100).unref();",
                'process.on("exit", record);',
            ].join("\n"),
        );
        const run = await node(["dist/cli/preflight.js", "--json"], dir, { NODE_OPTIONS: `--require ${hook}` });
        expect(run.code, run.stderr).toBe(0);
        const loaded = fs
            .readdirSync(records)
            .filter((f) => f.endsWith(".json"))
            .flatMap((f): string[] => JSON.parse(fs.readFileSync(path.join(records, f), "utf8")));
        // The command and its pack both recorded: the pack loads @pulumi/policy.
        expect(fs.readdirSync(records).filter((f) => f.endsWith(".json")).length).toBeGreaterThanOrEqual(2);
        expect(loaded.some((file) => file.includes(`${path.sep}@pulumi${path.sep}policy${path.sep}`))).toBe(true);
        const fromDev = loaded.filter((file) => [...dev].some((name) => file.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`)));
        expect(fromDev).toEqual([]);
    }, 300_000);
});
