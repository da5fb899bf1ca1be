import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { launchPack } from "../../../cli/analyzer/packLaunch.js";
import { livePackProcesses } from "../../../cli/analyzer/packProcess.js";
import { type PackIdentity, PrestartedPolicyPack, samePackIdentity } from "../../../cli/analyzer/prestart.js";
import { readStackFile, redactedConfig } from "../../../cli/plan/stackFile.js";
import { eventually, exitSignal } from "../../support/commandProcess.js";
import { phase1Stack, withConfig } from "../../support/fixtures.js";
import { planned } from "../../support/planFixtures.js";
import { projectDir } from "../../support/stackFiles.js";

describe("PrestartedPolicyPack.cancel", () => {
    it("kills a pack still starting (a command whose plan failed does not wait for it to load)", async () => {
        const file = readStackFile(projectDir, "prod");
        const identity = { project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys };
        const abort = new AbortController();
        let child: ChildProcess | undefined;
        let cancelled: Promise<void> | undefined;
        const launched = launchPack({ ...identity, signal: abort.signal }, () => {
            child = [...livePackProcesses()].at(-1);
            cancelled = gates.cancel();
        });
        const gates = new PrestartedPolicyPack(identity, { launched, abort });
        await launched.catch(() => undefined);
        await cancelled;
        expect(child && (await exitSignal(child))).toBe("SIGTERM");
        expect(child && livePackProcesses().has(child)).toBe(false);
    }, 60_000);
});

describe("PrestartedPolicyPack.evaluate", () => {
    const identity: PackIdentity = { project: "vauntico-deploy", stack: "prod", config: withConfig({ "vauntico:phase": "1" }) };
    const resources = planned(phase1Stack());
    let watcher: NodeJS.Timeout | undefined;
    afterEach(() => clearInterval(watcher));

    /**
     * Launches the early pack with `identity`, and runs `evaluate` with the plan's: the verdicts and every pack
     * process seen meanwhile (polled; a pack lives for its start, ≈ 0.5 s at least), the early one first.
     */
    async function evaluateWith(
        plan: { project?: string; stack?: string; config?: Readonly<Record<string, string>> },
        early?: { launched: Promise<never> },
    ): Promise<{ verdicts: unknown[]; packs: ChildProcess[] }> {
        const seen = new Set<ChildProcess>();
        const abort = new AbortController();
        const launched =
            early?.launched ??
            launchPack({ ...identity, signal: abort.signal }, () => {
                for (const child of livePackProcesses()) seen.add(child);
            });
        const gates = new PrestartedPolicyPack(identity, { launched, abort });
        await launched.catch(() => undefined);
        watcher = setInterval(() => {
            for (const child of livePackProcesses()) seen.add(child);
        }, 5);
        const verdicts = await gates.evaluate({ project: identity.project, stack: identity.stack, config: identity.config, resources, ...plan });
        clearInterval(watcher);
        expect(await eventually(() => livePackProcesses().size === 0, 5_000)).toBe(true);
        return { verdicts, packs: [...seen] };
    }

    it("uses the early pack when the plan has its identity and config (in any key order), and stops it after", async () => {
        const reordered = Object.fromEntries(Object.entries(identity.config).reverse());
        const { verdicts, packs } = await evaluateWith({ config: reordered });
        expect(packs).toHaveLength(1);
        expect(packs[0]?.exitCode).toBe(0);
        expect(verdicts.length).toBeGreaterThan(0);
    }, 60_000);

    // Which differences count is samePackIdentity's, one operand at a time below; this is what evaluate does with one.
    it("starts a pack of the plan's own when its identity differs; the early one is stopped", async () => {
        const { packs } = await evaluateWith({ config: { ...identity.config, "vauntico:phase": "2" } });
        expect(packs).toHaveLength(2);
        expect(packs.map((child) => child.exitCode)).toEqual([0, 0]);
    }, 120_000);

    it("starts a pack of its own when the early launch failed, whatever it failed with", async () => {
        for (const failure of [new Error("launch failed"), "launch failed"]) {
            const { verdicts, packs } = await evaluateWith({}, { launched: Promise.reject(failure) });
            expect(packs).toHaveLength(1);
            expect(verdicts.length).toBeGreaterThan(0);
        }
    }, 60_000);

    it("without an early launch, launches the pack itself and evaluates with it", async () => {
        const gates = new PrestartedPolicyPack(identity);
        const verdicts = await gates.evaluate({ ...identity, resources });
        expect(verdicts.length).toBeGreaterThan(0);
        expect(await eventually(() => livePackProcesses().size === 0, 5_000)).toBe(true);
    }, 60_000);

    it("without an early launch, cancel stops the pack it launched", async () => {
        const gates = new PrestartedPolicyPack(identity);
        await gates.cancel();
        expect(await eventually(() => livePackProcesses().size === 0, 5_000)).toBe(true);
    }, 60_000);
});

describe("samePackIdentity", () => {
    const identity: PackIdentity = { project: "p", stack: "s", config: { "a:x": "1", "a:y": "2" } };

    it("holds for the same project, stack and config, in any key order", () => {
        expect(samePackIdentity(identity, { project: "p", stack: "s", config: { "a:y": "2", "a:x": "1" } })).toBe(true);
    });

    it.each([
        ["another project", { project: "q", stack: "s", config: identity.config }],
        ["another stack", { project: "p", stack: "t", config: identity.config }],
        ["a value changed", { project: "p", stack: "s", config: { "a:x": "1", "a:y": "3" } }],
        ["a key added, even empty", { project: "p", stack: "s", config: { ...identity.config, "a:z": "" } }],
        ["a key missing", { project: "p", stack: "s", config: { "a:y": "2" } }],
        ["a key renamed, same values", { project: "p", stack: "s", config: { "a:x": "1", "a:w": "2" } }],
    ])("fails for %s", (_, plan) => {
        expect(samePackIdentity(identity, plan)).toBe(false);
    });
});
