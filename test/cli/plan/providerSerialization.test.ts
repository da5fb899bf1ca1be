import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { unserializedProvider, withoutProviderSerialization } from "../../../cli/plan/providerSerialization.js";
import { runUnderMocks } from "../../../cli/plan/mockEngine.js";
import { activationRecordKind, RevenueActivation } from "../../../components/revenue/index.js";
import { dynamicKindProperty } from "../../../policy/protocol/contract.js";
import { projectDir } from "../../support/stackFiles.js";

const closure: { serializeFunction: unknown } = require("@pulumi/pulumi/runtime/closure/serializeClosure");

describe("the commands' plan without serializing dynamic providers", () => {
    // Each plan in a fresh process: the SDK caches a provider's serialization per process.
    it("is the plan with serialization but for the provider's code: same resources, inputs, secret paths and secret-ness verdicts", async () => {
        const plan = (serialize: boolean) =>
            new Promise<string>((resolve, reject) => {
                const script = [
                    `const { runPlan } = require(${JSON.stringify(path.join(projectDir, "dist/cli/plan/index.js"))});`,
                    `const { secretnessVerdicts } = require(${JSON.stringify(path.join(projectDir, "dist/cli/analyzer/secretness.js"))});`,
                    `runPlan({ stack: "prod", projectDir: ${JSON.stringify(projectDir)}, serializeDynamicProviders: ${serialize} }).then((plan) => process.stdout.write(JSON.stringify({`,
                    "  resources: plan.resources.map((r) => ({ urn: r.urn, parent: r.parent, custom: r.custom, inputs: r.inputs, secretPaths: r.secretPaths })),",
                    "  verdicts: secretnessVerdicts(plan.resources) })));",
                ].join("\n");
                execFile(process.execPath, ["-e", script], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
                    error ? reject(error) : resolve(stdout),
                );
            });
        const [serialized, fast] = (await Promise.all([plan(true), plan(false)])).map(
            (text): { resources: { urn: string; inputs: Record<string, unknown> }[]; verdicts: unknown[] } => JSON.parse(text),
        );
        if (!serialized || !fast) throw new Error("no plan");
        // In registration order's place, by URN: serializing delays a dynamic resource's registration.
        const withoutCode = (resources: typeof fast.resources) =>
            [...resources]
                .sort((x, y) => x.urn.localeCompare(y.urn))
                .map((r) => ({ ...r, inputs: Object.fromEntries(Object.entries(r.inputs).filter(([key]) => key !== "__provider")) }));
        expect(withoutCode(fast.resources)).toEqual(withoutCode(serialized.resources));
        expect(fast.verdicts).toEqual(serialized.verdicts);
        const dynamic = (resources: typeof fast.resources) => resources.filter((r) => r.urn.includes("pulumi-nodejs:dynamic"));
        expect(dynamic(fast.resources).length).toBeGreaterThan(0);
        for (const resource of dynamic(fast.resources)) expect(resource.inputs["__provider"]).toBe(unserializedProvider);
        for (const resource of dynamic(serialized.resources)) expect(resource.inputs["__provider"]).toMatch(/exports\.handler/);
    }, 120_000);

    it("no gate, check or report reads a resource's __provider", () => {
        const readers = ["policy", "cli"].flatMap((dir) =>
            fs
                .readdirSync(path.join(projectDir, dir), { recursive: true, encoding: "utf8" })
                .filter((file) => file.endsWith(".ts") && !file.startsWith("node_modules"))
                .map((file) => path.join(dir, file))
                .filter(
                    (file) =>
                        file !== path.join("cli", "plan", "providerSerialization.ts") &&
                        fs.readFileSync(path.join(projectDir, file), "utf8").includes("__provider"),
                ),
        );
        expect(readers).toEqual([]);
    }, 120_000);

    it("never leaves its stand-in in the SDK's per-process cache of serialized providers, and restores the cache setting", async () => {
        // The activation record's provider is one object for the process: the SDK would serve its first serialization to every later run.
        const state: { getStore(): { settings: { options: { cacheDynamicProviders?: boolean } } } } = require("@pulumi/pulumi/runtime/state");
        const caching = state.getStore().settings.options.cacheDynamicProviders;
        const providerOf = async () => {
            const run = await runUnderMocks({ project: "p", stack: "s" }, () => new RevenueActivation("revenue", { mode: "live", phase: 5 }));
            return run.resources.find((r) => r.inputs[dynamicKindProperty] === activationRecordKind)?.inputs["__provider"];
        };
        expect(await withoutProviderSerialization(providerOf)).toBe(unserializedProvider);
        expect(state.getStore().settings.options.cacheDynamicProviders).toBe(caching);
        expect(await providerOf()).toMatch(/exports\.handler/);
        // And a cached real serialization is not what a run without serialization shows.
        expect(await withoutProviderSerialization(providerOf)).toBe(unserializedProvider);
    }, 120_000);

    it("restores the serializer when the run throws", async () => {
        const original = closure.serializeFunction;
        await expect(
            withoutProviderSerialization(async () => {
                expect(closure.serializeFunction).not.toBe(original);
                throw new Error("boom");
            }),
        ).rejects.toThrow("boom");
        expect(closure.serializeFunction).toBe(original);
    });

    it("restores the serializer when overlapping runs end out of order (the first to start ends first)", async () => {
        const original = closure.serializeFunction;
        let endFirst = (): void => undefined;
        const first = withoutProviderSerialization(
            () =>
                new Promise<void>((resolve) => {
                    endFirst = resolve;
                }),
        );
        const second = withoutProviderSerialization(async () => {
            endFirst();
            await first;
            // The first run has ended; this one is still going and must still see the patch.
            expect(closure.serializeFunction).not.toBe(original);
        });
        await Promise.all([first, second]);
        expect(closure.serializeFunction).toBe(original);
    });
});
