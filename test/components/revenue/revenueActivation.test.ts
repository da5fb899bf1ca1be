import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planMocks } from "../../../cli/plan/fakeOutputs.js";
import { runUnderMocks } from "../../../cli/plan/mockEngine.js";
import { activationRecordKind, activationRecordProvider, isRevenueActivated, RevenueActivation } from "../../../components/revenue/index.js";
import { dynamicKindProperty, dynamicResourceType } from "../../../policy/protocol/contract.js";
import { DynamicProviderHost } from "../../doubles/dynamicProviderHost.js";
import { projectDir } from "../../support/stackFiles.js";
import { settle } from "../../support/values.js";

const recordedAt = "2026-11-20T09:00:00.000Z";

/** The plan's mocks, with the activation time a real create would record. */
function mocksRecording(activatedAt: string): pulumi.runtime.Mocks {
    const base = planMocks();
    return {
        ...base,
        async newResource(args) {
            const result = await base.newResource(args);
            return args.inputs[dynamicKindProperty] === activationRecordKind ? { ...result, state: { ...result.state, activatedAt } } : result;
        },
    };
}

describe("isRevenueActivated", () => {
    it("is true only for live payments at phase 5", () => {
        const table = [1, 2, 3, 4, 5].flatMap((phase) => (["test", "live"] as const).map((mode) => `${phase}/${mode}:${isRevenueActivated(mode, phase)}`));
        expect(table.filter((row) => row.endsWith(":true"))).toEqual(["5/live:true"]);
    });
});

describe("RevenueActivation", () => {
    it("live at phase 5: records the activation time in a dynamic resource, its child, and exposes it", async () => {
        const run = await runUnderMocks(
            { project: "p", stack: "s", mocks: mocksRecording(recordedAt) },
            () => new RevenueActivation("revenue", { mode: "live", phase: 5 }),
        );
        const component = run.resources.find((r) => r.type === RevenueActivation.type);
        const record = run.resources.find((r) => r.type === dynamicResourceType && r.inputs[dynamicKindProperty] === activationRecordKind);
        expect(record?.name).toBe("revenue-record");
        expect(record?.parent).toBe(component?.urn);
        expect(record?.inputs["mode"]).toBe("live");
        expect(await settle(run.result.activatedAt)).toBe(recordedAt);
        expect(component?.outputs).toMatchObject({ mode: "live", activated: true, activatedAt: recordedAt });
    });

    it.each([
        [1, "live"],
        [4, "live"],
        [5, "test"],
        [3, "test"],
    ] as const)("phase %i, %s: nothing recorded, no activation time", async (phase, mode) => {
        const run = await runUnderMocks(
            { project: "p", stack: "s", mocks: mocksRecording(recordedAt) },
            () => new RevenueActivation("revenue", { mode, phase }),
        );
        expect(run.resources.filter((r) => r.type === dynamicResourceType)).toEqual([]);
        expect(await settle(run.result.activatedAt)).toBeUndefined();
        expect(run.result.activated).toBe(false);
    });

    it("rejects a mode or phase outside the protocol, naming the field", async () => {
        // The type forbids it; a caller outside TypeScript's reach (JSON, JavaScript) could still pass it.
        const badMode = { mode: "sandbox", phase: 5 };
        await expect(runUnderMocks({ project: "p", stack: "s" }, () => new RevenueActivation("revenue", JSON.parse(JSON.stringify(badMode))))).rejects.toThrow(
            /mode: "sandbox" given; expected "test" or "live"/,
        );
        await expect(runUnderMocks({ project: "p", stack: "s" }, () => new RevenueActivation("revenue", { mode: "live", phase: 6 }))).rejects.toThrow(
            /phase: 6 given; expected a whole number from 1 to 5/,
        );
    });
});

describe("the activation record's provider", () => {
    it("create records the current time once; diff keeps it while nothing changes; read keeps it", async () => {
        const before = Date.now();
        const created = await activationRecordProvider.create({ vaunticoKind: activationRecordKind, mode: "live" });
        const activatedAt: unknown = created.outs?.activatedAt;
        expect(typeof activatedAt === "string" ? Date.parse(activatedAt) : NaN).toBeGreaterThanOrEqual(before - 1000);
        const diff = await activationRecordProvider.diff?.(created.id, created.outs, { vaunticoKind: activationRecordKind, mode: "live" });
        expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
        const read = await activationRecordProvider.read?.(created.id, created.outs);
        expect(read?.props).toEqual(created.outs);
    });

    it("a different mode replaces the record (a new activation, a new time)", async () => {
        const diff = await activationRecordProvider.diff?.(
            "id",
            { vaunticoKind: activationRecordKind, mode: "live", activatedAt: recordedAt },
            { vaunticoKind: activationRecordKind, mode: "test" },
        );
        expect(diff).toMatchObject({ changes: true, replaces: ["mode"] });
    });
});

/**
 * The provider as `npm run build` compiles it (tsc, CommonJS), serialized by Pulumi in a plain node process:
 * vitest's transform differs from tsc's, and a closure that serializes under vitest can still break there.
 */
function serializeTscBuild(projectDir: string): string {
    const folder = path.join(projectDir, "node_modules", ".cache", "vauntico", `activation-record-${process.pid}`);
    fs.mkdirSync(folder, { recursive: true });
    try {
        const source = fs.readFileSync(path.join(projectDir, "components", "revenue", "activationRecord.ts"), "utf8");
        const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
        fs.writeFileSync(path.join(folder, "activationRecord.js"), compiled.outputText);
        const script = [
            `const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});`,
            `const provider = require(${JSON.stringify(path.join(folder, "activationRecord.js"))}).activationRecordProvider;`,
            "pulumi.runtime.serializeFunction(() => provider).then((f) => process.stdout.write(f.text));",
        ].join("\n");
        const result = spawnSync(process.execPath, ["-e", script], { cwd: projectDir, encoding: "utf8", timeout: 60_000 });
        if (result.status !== 0) throw new Error(`serializing the tsc build failed: ${result.stderr}`);
        return result.stdout;
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

// One dynamic-provider host for both: like the engine's, it takes the provider's code with each call.
describe("in Pulumi's dynamic-provider host", () => {
    let host: DynamicProviderHost;
    beforeAll(async () => {
        host = await DynamicProviderHost.start(projectDir);
    });
    afterAll(async () => {
        await host?.stop();
    });

    describe("the activation record as the engine runs it", () => {
        it("serialized by the program, then created, diffed and read", async () => {
            const run = await runUnderMocks(
                { project: "p", stack: "s", mocks: mocksRecording(recordedAt) },
                () => new RevenueActivation("revenue", { mode: "live", phase: 5 }),
            );
            const record = run.resources.find((r) => r.inputs[dynamicKindProperty] === activationRecordKind);
            if (!record) throw new Error("no activation record registered");
            expect(typeof record.inputs["__provider"]).toBe("string");

            const before = Date.now();
            const created = await host.create(record.urn, record.inputs);
            const activatedAt = created.properties["activatedAt"];
            expect(typeof activatedAt === "string" ? Date.parse(activatedAt) : NaN).toBeGreaterThanOrEqual(before - 1000);
            const diff = await host.diff(created.id, record.urn, created.properties, record.inputs);
            expect(diff.changes).toBe("none");
            const read = await host.read(created.id, record.urn, created.properties, record.inputs);
            expect(read.properties["activatedAt"]).toBe(activatedAt);
        });
    });

    describe("the activation record's tsc build through the host", () => {
        it("serializes without capturing module exports, and records a time on create", async () => {
            const text = serializeTscBuild(projectDir);
            expect(text).toContain("exports.handler");
            const urn = "urn:pulumi:s::p::vauntico:revenue:RevenueActivation$pulumi-nodejs:dynamic:Resource::revenue-record";
            const created = await host.create(urn, { __provider: text, vaunticoKind: activationRecordKind, mode: "live" });
            expect(created.properties).toMatchObject({ vaunticoKind: activationRecordKind, mode: "live" });
            expect(Date.parse(String(created.properties["activatedAt"]))).not.toBeNaN();
        });
    });
});
