import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { unserializedProvider, withoutProviderSerialization } from "../../../cli/plan/providerSerialization.js";
import { runPlan } from "../../../cli/plan/index.js";
import { runEndpointProgram } from "../../support/serializedEndpoint.js";
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

    it("leaves no stand-in in the SDK's provider cache: a real serialization later in the same process gets the code", async () => {
        await runPlan({ stack: "prod", projectDir, serializeDynamicProviders: false });
        const { endpoint } = await runEndpointProgram("payments", {
            url: "https://api.vauntico.example/webhooks/stripe",
            apiKey: "sk_test_cacheTestKey4242424242",
            mode: "test",
            description: "Vauntico payments",
            metadata: { owner: "kilo" },
            apiBase: { host: "127.0.0.1", port: 9, protocol: "http" },
        });
        expect(endpoint.inputs.__provider).toContain("exports.handler");
        expect(endpoint.inputs.__provider).not.toBe(unserializedProvider);
    }, 60_000);
});
