import { mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { launchPack } from "../../../cli/analyzer/packLaunch.js";
import {
    killLivePacks,
    livePackProcesses,
    type PackProcess,
    type PackProcessOptions,
    packCompileCache,
    packNodeOptions,
    startPackProcess,
} from "../../../cli/analyzer/packProcess.js";
import { readStackFile, redactedConfig } from "../../../cli/plan/stackFile.js";
import { eventually, exitSignal } from "../../support/commandProcess.js";
import { type FakePolicyPack, fakePolicyPack, keepRunning, reportEnvironment } from "../../support/fakePolicyPack.js";
import { projectDir } from "../../support/stackFiles.js";

describe("packCompileCache", () => {
    it("gives the pack a folder of its own inside the command's compile cache", () => {
        expect(packCompileCache("/cache")).toEqual({ NODE_COMPILE_CACHE: path.join("/cache", "policy-pack") });
    });

    it("gives none when the command has none", () => {
        expect(packCompileCache(undefined)).toEqual({});
        expect(packCompileCache("")).toEqual({});
    });
});

describe("a stopped pack exits normally and keeps its compile cache apart", () => {
    const saved = process.env["NODE_COMPILE_CACHE"];
    let cache: string | undefined;
    afterEach(() => {
        if (saved === undefined) delete process.env["NODE_COMPILE_CACHE"];
        else process.env["NODE_COMPILE_CACHE"] = saved;
        if (cache) rmSync(cache, { recursive: true, force: true });
    });

    it("closing its stdin ends it with code 0, which writes its code cache into its own folder only", async () => {
        cache = mkdtempSync(path.join(tmpdir(), "vauntico-compile-cache-"));
        process.env["NODE_COMPILE_CACHE"] = cache;
        const file = readStackFile(projectDir, "prod");
        const launched = await launchPack({ project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys });
        const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
            launched.pack.child.once("exit", (code, signal) => resolve([code, signal]));
        });
        const started = Date.now();
        await launched.stop();
        // A signal (SIGTERM after the grace period) would end it without writing anything.
        expect(await exited).toEqual([0, null]);
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(readdirSync(cache)).toEqual(["policy-pack"]);
        const [versioned] = readdirSync(path.join(cache, "policy-pack"));
        expect(versioned).toBeDefined();
        // Every module the pack loaded: @pulumi/pulumi, @pulumi/policy, gRPC and the gates (about 1,000).
        expect(readdirSync(path.join(cache, "policy-pack", versioned ?? "")).length).toBeGreaterThan(500);
    }, 60_000);
});

describe("packNodeOptions", () => {
    it("adds the guard as a quoted --require after the given options", () => {
        expect(packNodeOptions(undefined, "/build/guard.js")).toBe('--require "/build/guard.js"');
        expect(packNodeOptions("", "/build/guard.js")).toBe('--require "/build/guard.js"');
        expect(packNodeOptions("--max-old-space-size=512", "/build/guard.js")).toBe('--max-old-space-size=512 --require "/build/guard.js"');
    });

    it("leaves the given options as they are without a guard, or with one Node could not take quoted", () => {
        expect(packNodeOptions(undefined, undefined)).toBeUndefined();
        expect(packNodeOptions("--max-old-space-size=512", undefined)).toBe("--max-old-space-size=512");
        expect(packNodeOptions("--max-old-space-size=512", '/a"b/guard.js')).toBe("--max-old-space-size=512");
        expect(packNodeOptions("--max-old-space-size=512", "C:\\build\\guard.js")).toBe("--max-old-space-size=512");
        expect(packNodeOptions(undefined, '/a"b/guard.js')).toBeUndefined();
    });
});

// startPackProcess with fake packs (test/support/fakePolicyPack.ts): each starts in a fraction of the real pack's
// time and prints, writes or exits as the test needs. The real pack's start and stop are tested above and in
// packLaunch.test.ts.
describe("startPackProcess", () => {
    const fakes: FakePolicyPack[] = [];
    const started: PackProcess[] = [];
    let cache: string | undefined;
    const savedEnvironment = { NODE_OPTIONS: process.env["NODE_OPTIONS"], NODE_COMPILE_CACHE: process.env["NODE_COMPILE_CACHE"] };
    afterEach(async () => {
        for (const pack of started.splice(0)) await pack.stop();
        for (const fake of fakes.splice(0)) fake.remove();
        if (cache) rmSync(cache, { recursive: true, force: true });
        for (const [name, value] of Object.entries(savedEnvironment)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    });
    function fake(program: string, guard?: string, rootName?: string): string {
        const pack = fakePolicyPack(program, guard, rootName);
        fakes.push(pack);
        return pack.folder;
    }
    const identity = { engineAddress: "127.0.0.1:1", config: { "ns:a": "1" }, project: "proj", stack: "prod" };
    async function start(options: Omit<PackProcessOptions, keyof typeof identity> & Partial<PackProcessOptions>): Promise<PackProcess> {
        const pack = await startPackProcess({ ...identity, ...options });
        started.push(pack);
        return pack;
    }
    /** The JSON a fake pack's `reportEnvironment` line wrote, once it has arrived. */
    async function reported(pack: PackProcess): Promise<{ cwd: string; env: Record<string, string | null> }> {
        await eventually(() => pack.stderr().includes("\n"), 5_000);
        return JSON.parse(pack.stderr().split("\n")[0] ?? "");
    }
    const printPort = 'process.stdout.write("4242\\n");';
    const identityNames = [
        "PULUMI_CONFIG",
        "PULUMI_CONFIG_SECRET_KEYS",
        "PULUMI_NODEJS_ORGANIZATION",
        "PULUMI_NODEJS_PROJECT",
        "PULUMI_NODEJS_STACK",
        "PULUMI_NODEJS_DRY_RUN",
    ];

    it("runs in the pack's folder with the stack's identity and config in the environment, a preview by default", async () => {
        const packFolder = fake(reportEnvironment(identityNames) + printPort + keepRunning);
        const pack = await start({ packFolder });
        expect(pack.port).toBe(4242);
        expect(await reported(pack)).toEqual({
            cwd: realpathSync(packFolder),
            env: {
                PULUMI_CONFIG: '{"ns:a":"1"}',
                PULUMI_CONFIG_SECRET_KEYS: "[]",
                PULUMI_NODEJS_ORGANIZATION: "organization",
                PULUMI_NODEJS_PROJECT: "proj",
                PULUMI_NODEJS_STACK: "prod",
                PULUMI_NODEJS_DRY_RUN: "true",
            },
        });
    });

    it("passes the secret keys, organization and dry-run flag given", async () => {
        const packFolder = fake(reportEnvironment(identityNames) + printPort + keepRunning);
        const pack = await start({ packFolder, secretKeys: ["ns:a"], organization: "org", dryRun: false });
        expect((await reported(pack)).env).toMatchObject({
            PULUMI_CONFIG_SECRET_KEYS: '["ns:a"]',
            PULUMI_NODEJS_ORGANIZATION: "org",
            PULUMI_NODEJS_DRY_RUN: "false",
        });
    });

    it("gives the pack its own compile cache folder, and the build's guard after the command's NODE_OPTIONS", async () => {
        cache = mkdtempSync(path.join(tmpdir(), "vauntico-compile-cache-"));
        process.env["NODE_COMPILE_CACHE"] = cache;
        process.env["NODE_OPTIONS"] = "--max-old-space-size=1024";
        const guard = "process.stdin.once('end', () => process.exit(0)); process.stdin.resume();";
        const packFolder = fake(reportEnvironment(["NODE_COMPILE_CACHE", "NODE_OPTIONS"]) + printPort + keepRunning, guard);
        const pack = await start({ packFolder });
        const guardFile = path.join(path.dirname(packFolder), "cli", "analyzer", "packOrphanGuard.js");
        expect((await reported(pack)).env).toEqual({
            NODE_COMPILE_CACHE: path.join(cache, "policy-pack"),
            NODE_OPTIONS: `--max-old-space-size=1024 --require "${guardFile}"`,
        });
    });

    it("without a guard in its build, the pack gets the command's NODE_OPTIONS as they are", async () => {
        process.env["NODE_OPTIONS"] = "--max-old-space-size=1024";
        const pack = await start({ packFolder: fake(reportEnvironment(["NODE_OPTIONS"]) + printPort + keepRunning) });
        expect((await reported(pack)).env).toEqual({ NODE_OPTIONS: "--max-old-space-size=1024" });
    });

    it("a guard at a path Node could not take quoted is left out, and the pack is stopped as one without it", async () => {
        const guard = "process.exit(9);";
        const pack = await start({ packFolder: fake(reportEnvironment(["NODE_OPTIONS"]) + printPort + keepRunning, guard, 'vauntico-fake"pack-') });
        expect(pack.port).toBe(4242);
        expect((await reported(pack)).env["NODE_OPTIONS"] ?? "").not.toContain("--require");
        // Stopped as a pack without the guard: it would not see its stdin close.
        const begun = Date.now();
        await pack.stop();
        expect(pack.child.signalCode).toBe("SIGTERM");
        expect(Date.now() - begun).toBeLessThan(1_500);
    });

    it("reads a port printed in pieces, with spaces around it, and keeps what the pack writes to stderr", async () => {
        const program = 'process.stderr.write("loading\\n"); process.stdout.write(" 42"); setTimeout(() => process.stdout.write("43 \\nlater\\n"), 100);';
        const pack = await start({ packFolder: fake(program + keepRunning) });
        expect(pack.port).toBe(4243);
        expect(await eventually(() => pack.stderr() === "loading\n", 5_000)).toBe(true);
    });

    it("the smallest port, 1, is a port", async () => {
        const pack = await start({ packFolder: fake(`process.stdout.write("1\\n");${keepRunning}`) });
        expect(pack.port).toBe(1);
    });

    it("a first line that is no port (0, negative, fractional, text) is refused, quoting it and the pack's stderr, and the pack is stopped", async () => {
        for (const line of ["0", "-5", "4.5", "hello"]) {
            const before = livePackProcesses().size;
            const program = `process.stderr.write("oops\\n"); setTimeout(() => process.stdout.write(${JSON.stringify(`${line}\n`)}), 100);`;
            await expect(startPackProcess({ ...identity, packFolder: fake(program + keepRunning) })).rejects.toThrow(
                new Error(`policy pack printed ${JSON.stringify(line)} instead of a port; stderr: oops`),
            );
            expect(await eventually(() => livePackProcesses().size === before, 5_000), line).toBe(true);
        }
    });

    it("a pack that exits before printing its port is reported with its exit code or signal and its stderr", async () => {
        await expect(startPackProcess({ ...identity, packFolder: fake('process.stderr.write(" broken \\n"); process.exit(3);') })).rejects.toThrow(
            "policy pack exited (code 3) before printing its port; stderr: broken",
        );
        await expect(startPackProcess({ ...identity, packFolder: fake('process.kill(process.pid, "SIGKILL");') })).rejects.toThrow(
            "policy pack exited (SIGKILL) before printing its port",
        );
    });

    it("a pack that does not print its port in time is stopped and reported with its stderr", async () => {
        const before = livePackProcesses().size;
        await expect(
            startPackProcess({ ...identity, packFolder: fake(`process.stderr.write("stuck\\n");${keepRunning}`), startTimeoutMs: 1_500 }),
        ).rejects.toThrow(/^policy pack did not print its port within 1500 ms; stderr: stuck$/);
        expect(await eventually(() => livePackProcesses().size === before, 5_000)).toBe(true);
    });

    it("stop: a serving pack without the guard gets SIGTERM at once, with whatever it started; stopping again is a no-op", async () => {
        const program = `const c = require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(keepRunning)}], { stdio: "ignore" }); process.stderr.write(String(c.pid) + "\\n");`;
        const pack = await start({ packFolder: fake(program + printPort + keepRunning) });
        expect(await eventually(() => pack.stderr().includes("\n"), 5_000)).toBe(true);
        const grandchild = Number(pack.stderr().trim());
        const begun = Date.now();
        await pack.stop();
        expect(Date.now() - begun).toBeLessThan(1_500);
        expect(pack.child.signalCode).toBe("SIGTERM");
        expect(livePackProcesses().has(pack.child)).toBe(false);
        const alive = (): boolean => {
            try {
                process.kill(grandchild, 0);
                return true;
            } catch {
                return false;
            }
        };
        expect(await eventually(() => !alive(), 5_000)).toBe(true);
        await pack.stop();
    });

    it("stop: a pack that ignores SIGTERM is killed 3 s later", async () => {
        const pack = await start({ packFolder: fake(`process.on("SIGTERM", () => {});${printPort}${keepRunning}`) });
        const begun = Date.now();
        await pack.stop();
        expect(pack.child.signalCode).toBe("SIGKILL");
        expect(Date.now() - begun).toBeGreaterThanOrEqual(2_900);
    }, 10_000);

    it("stop: a guarded serving pack is asked through its stdin, and exits normally", async () => {
        const guard = "process.stdin.once('end', () => process.exit(0)); process.stdin.resume();";
        const pack = await start({ packFolder: fake(printPort + keepRunning, guard) });
        await pack.stop();
        expect([pack.child.exitCode, pack.child.signalCode]).toEqual([0, null]);
    });

    it("stop: a guarded pack that does not exit when asked gets SIGTERM after 2 s", async () => {
        const pack = await start({ packFolder: fake(printPort + keepRunning, "") });
        const begun = Date.now();
        await pack.stop();
        expect(pack.child.signalCode).toBe("SIGTERM");
        expect(Date.now() - begun).toBeGreaterThanOrEqual(1_900);
        expect(Date.now() - begun).toBeLessThan(4_500);
    }, 10_000);

    it("killLivePacks kills every pack still running at once", async () => {
        const packs = [await start({ packFolder: fake(printPort + keepRunning) }), await start({ packFolder: fake(printPort + keepRunning) })];
        const exits = packs.map((pack) => exitSignal(pack.child));
        killLivePacks();
        expect(await Promise.all(exits)).toEqual(["SIGKILL", "SIGKILL"]);
        expect(packs.filter((pack) => livePackProcesses().has(pack.child))).toEqual([]);
    });

    it("an environment the OS cannot take (a NUL in the project) is refused before any pack runs", async () => {
        const before = livePackProcesses().size;
        await expect(startPackProcess({ ...identity, project: "a\0b", packFolder: fake(printPort + keepRunning) })).rejects.toThrow(
            /^cannot start the policy pack: .*PULUMI_NODEJS_PROJECT/,
        );
        expect(livePackProcesses().size).toBe(before);
    });

    it("a pack folder that is gone when spawned (no working directory) is reported, and not kept as a live pack", async () => {
        const missing = path.join(path.dirname(fake(printPort)), "missing");
        const before = livePackProcesses().size;
        await expect(startPackProcess({ ...identity, packFolder: missing, startTimeoutMs: 5_000 })).rejects.toThrow(/^cannot start the policy pack: .*ENOENT/);
        expect(livePackProcesses().size).toBe(before);
    });

    it("aborting: before the start, no pack runs; while it loads, it is killed; the rejection says why", async () => {
        const cancelled = new Error("policy pack start cancelled: the command no longer needs it");
        const before = livePackProcesses().size;
        await expect(startPackProcess({ ...identity, packFolder: fake(printPort + keepRunning), signal: AbortSignal.abort() })).rejects.toThrow(cancelled);
        expect(livePackProcesses().size).toBe(before);
        const abort = new AbortController();
        const starting = startPackProcess({ ...identity, packFolder: fake(keepRunning), signal: abort.signal });
        const [child] = [...livePackProcesses()].slice(before);
        abort.abort();
        await expect(starting).rejects.toThrow(cancelled);
        expect(child && (await exitSignal(child))).toBe("SIGTERM");
    });

    it("aborting once the pack serves leaves it running", async () => {
        const abort = new AbortController();
        const pack = await start({ packFolder: fake(printPort + keepRunning), signal: abort.signal });
        abort.abort();
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect([pack.child.exitCode, pack.child.signalCode]).toEqual([null, null]);
    });
});
