import { describe, expect, it, vi } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { prodWith } from "./support/stackFiles.js";
import type { StackFileConfig } from "../cli/plan/index.js";

/** Loads index.ts the way the language host does: config and secret keys from the environment the CLI sets. */
async function loadProgram(file: StackFileConfig): Promise<{ registered: string[]; error?: unknown }> {
    const registered: string[] = [];
    await pulumi.runtime.setMocks({
        newResource: (args) => { registered.push(args.type); return { id: `${args.name}-id`, state: args.inputs }; },
        call: (args) => ({ ...args.inputs, id: "42" }),
    }, file.project, file.stack);
    const secretKeysBefore = process.env["PULUMI_CONFIG_SECRET_KEYS"];
    process.env["PULUMI_CONFIG_SECRET_KEYS"] = JSON.stringify(file.secretKeys);
    pulumi.runtime.setAllConfig(file.config, file.secretKeys);
    try {
        vi.resetModules();
        await import("../index.js");
        await pulumi.runtime.disconnect();
        return { registered };
    } catch (error) {
        return { registered, error };
    } finally {
        if (secretKeysBefore === undefined) delete process.env["PULUMI_CONFIG_SECRET_KEYS"];
        else process.env["PULUMI_CONFIG_SECRET_KEYS"] = secretKeysBefore;
    }
}

describe("the program entry (index.ts)", () => {
    it("validates the whole config before registering anything", async () => {
        const { registered, error } = await loadProgram(prodWith({ "vauntico:phase": 8, "vauntico:secrets": [] }));
        // A pulumi.RunError: the CLI prints its message, the problems list, without a stack trace.
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect(String(error)).toMatch(/vauntico:phase.*\n.*vauntico:secrets/);
        expect(registered).toEqual([]);
    });
});

describe("the program entry with the prod config", () => {
    it("registers the phase-1 components", async () => {
        // Without payments: closure-serializing a dynamic provider after vi.resetModules() walks vitest's whole
        // module graph (gigabytes); the payments tests serialize providers through the plan instead.
        const { registered, error } = await loadProgram(prodWith(
            { "vauntico:payments": undefined, "vauntico:stripeSecretKey": undefined, "vauntico:paystackSecretKey": undefined },
            (keys) => keys.filter((k) => k !== "vauntico:stripeSecretKey" && k !== "vauntico:paystackSecretKey")));
        expect(error).toBeUndefined();
        expect(registered).toEqual(expect.arrayContaining([
            "vauntico:secrets:DeploymentSecrets", "vauntico:github:ProductionEnvironment", "vauntico:github:MergeProtection",
            "random:index/randomBytes:RandomBytes", "github:index/branchProtection:BranchProtection",
        ]));
    });
});
