import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { maxEnvironmentStringBytes } from "../../../cli/analyzer/configEnvironment.js";
import { launchPack, type PackLaunchOptions } from "../../../cli/analyzer/packLaunch.js";
import { livePackProcesses } from "../../../cli/analyzer/packProcess.js";
import { readStackFile, redactedConfig } from "../../../cli/plan/stackFile.js";
import { eventually, exitSignal } from "../../support/commandProcess.js";
import { fakePolicyPack, keepRunning, reportEnvironment } from "../../support/fakePolicyPack.js";
import { projectDir } from "../../support/stackFiles.js";

const listeners = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "TCPServerWrap").length;

describe("launchPack failures end cleanly", () => {
    it("a config over the PULUMI_CONFIG limit is refused, naming the limit and the largest keys, and the engine listener is closed", async () => {
        const before = listeners();
        const config = { "vauntico:phase": "1", "vauntico:environment": "x".repeat(maxEnvironmentStringBytes), "github:owner": "vauntico" };
        await expect(launchPack({ project: "p", stack: "s", config })).rejects.toThrow(
            /cannot start the policy pack: .*over the 131072-byte limit.*largest keys: vauntico:environment \(131074 bytes\), github:owner \(10 bytes\), vauntico:phase \(3 bytes\)/,
        );
        // The engine's server shuts down asynchronously after the rejection.
        for (let i = 0; i < 40 && listeners() > before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(listeners()).toBe(before);
    });

    it("the limit is inclusive: PULUMI_CONFIG= + JSON + NUL of exactly the limit passes the check", async () => {
        const { configEnvironmentProblem, pulumiConfigBytes } = await import("../../../cli/analyzer/configEnvironment.js");
        const base = { k: "" };
        const fill = maxEnvironmentStringBytes - pulumiConfigBytes(base);
        expect(pulumiConfigBytes({ k: "x".repeat(fill) })).toBe(maxEnvironmentStringBytes);
        expect(configEnvironmentProblem({ k: "x".repeat(fill - 1) })).toBeUndefined();
        expect(configEnvironmentProblem({ k: "x".repeat(fill) })).toBeUndefined();
        expect(configEnvironmentProblem({ k: "x".repeat(fill + 1) })).toMatch(/over the 131072-byte limit/);
    });

    it("a pack folder that is not built says how to build it, and still reports the launch over", async () => {
        let spawned = 0;
        await expect(
            launchPack({ project: "p", stack: "s", config: {}, packFolder: "/nonexistent/policy" }, () => {
                spawned++;
            }),
        ).rejects.toThrow("is not built: run `npm run build`");
        // A command awaiting the spawn before loading its modules must not wait forever on a launch that failed.
        expect(spawned).toBe(1);
    });

    it("a refused config also reports the launch over", async () => {
        let spawned = 0;
        const config = { "vauntico:environment": "x".repeat(maxEnvironmentStringBytes) };
        await expect(
            launchPack({ project: "p", stack: "s", config }, () => {
                spawned++;
            }),
        ).rejects.toThrow(/over the 131072-byte limit/);
        expect(spawned).toBe(1);
    });
});

describe("launchPack tells when the pack process exists", () => {
    it("onSpawned comes once the child process runs, before the pack has printed its port", async () => {
        const processes = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "ProcessWrap").length;
        const before = processes();
        const events: string[] = [];
        const file = readStackFile(projectDir, "prod");
        const launched = launchPack({ project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys }, () => {
            events.push(`spawned with ${processes() - before} new process`);
        });
        const pack = await launched;
        events.push("port printed");
        try {
            expect(events).toEqual(["spawned with 1 new process", "port printed"]);
            expect(pack.pack.port).toBeGreaterThan(0);
        } finally {
            await pack.stop();
        }
    }, 60_000);
});

function prod(): PackLaunchOptions {
    const file = readStackFile(projectDir, "prod");
    return { project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys };
}

describe("a launch aborted before the pack serves", () => {
    it("kills the pack while it loads (a signal: it would only see its stdin close once loaded) and rejects", async () => {
        const abort = new AbortController();
        let child: ChildProcess | undefined;
        const launched = launchPack({ ...prod(), signal: abort.signal }, () => {
            child = [...livePackProcesses()].at(-1);
            abort.abort();
        });
        await expect(launched).rejects.toThrow("policy pack start cancelled");
        expect(child && (await exitSignal(child))).toBe("SIGTERM");
    }, 60_000);

    it("already aborted: no pack is started, and the launch still reports itself over", async () => {
        const abort = new AbortController();
        abort.abort();
        const running = new Set(livePackProcesses());
        let spawned = 0;
        await expect(
            launchPack({ ...prod(), signal: abort.signal }, () => {
                spawned++;
            }),
        ).rejects.toThrow("policy pack start cancelled");
        expect(spawned).toBe(1);
        // Another file's pack may still be ending in this worker: none may be new.
        expect([...livePackProcesses()].filter((child) => !running.has(child))).toEqual([]);
    });

    it("an abort after the pack serves changes nothing: it is stopped as any other", async () => {
        const abort = new AbortController();
        const pack = await launchPack({ ...prod(), signal: abort.signal });
        abort.abort();
        expect(pack.pack.child.exitCode).toBeNull();
        expect(pack.pack.child.signalCode).toBeNull();
        await pack.stop();
        expect([pack.pack.child.exitCode, pack.pack.child.signalCode]).toEqual([0, null]);
    }, 60_000);
});

describe("launchPack with a given pack folder", () => {
    it("starts that pack with the stack's identity, config and secret keys, and stop ends both the pack and the engine", async () => {
        const fake = fakePolicyPack(
            `${reportEnvironment(["PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS", "PULUMI_NODEJS_PROJECT", "PULUMI_NODEJS_STACK"])}process.stdout.write("4242\\n");${keepRunning}`,
        );
        const before = listeners();
        try {
            const launched = await launchPack({ project: "proj", stack: "prod", config: { "ns:a": "1" }, secretKeys: ["ns:a"], packFolder: fake.folder });
            expect(launched.pack.port).toBe(4242);
            expect(await eventually(() => launched.pack.stderr().includes("\n"), 5_000)).toBe(true);
            expect(JSON.parse(launched.pack.stderr().split("\n")[0] ?? "").env).toEqual({
                PULUMI_CONFIG: '{"ns:a":"1"}',
                PULUMI_CONFIG_SECRET_KEYS: '["ns:a"]',
                PULUMI_NODEJS_PROJECT: "proj",
                PULUMI_NODEJS_STACK: "prod",
            });
            await launched.stop();
            expect(launched.pack.child.signalCode).toBe("SIGTERM");
            // At most as many as before: another test's server may still have been closing then.
            expect(await eventually(() => listeners() <= before, 2_000)).toBe(true);
        } finally {
            fake.remove();
        }
    });
});
