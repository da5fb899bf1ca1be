import * as pulumi from "@pulumi/pulumi";
import { planMocks } from "./fakeOutputs.js";
import { SecretAwareMockMonitor, type PlannedResource } from "./mockMonitor.js";
import { withoutStackTraces } from "./stackTraces.js";

export interface MockRun<T> {
    /** Every resource registered, the root stack first, secrets redacted. */
    resources: PlannedResource[];
    /** What `init` returned. */
    result: T;
    /** The root stack resource, whose outputs are the stack outputs as the engine records them. */
    stack: PlannedResource;
}

export interface MockRunOptions {
    project: string;
    stack: string;
    /** Stack config (`ns:key` → string) and which keys are secret. */
    config?: Record<string, string>;
    secretKeys?: string[];
    mocks?: pulumi.runtime.Mocks;
}

/**
 * Runs `init` as the language host runs a program: inside the root `pulumi:pulumi:Stack` resource, whose
 * start-up asks the monitor which features it supports (secrets among them), with the secret-aware mock
 * monitor standing in for the engine. Whatever `init` returns becomes the stack outputs.
 */
export async function runUnderMocks<T>(options: MockRunOptions, init: () => T): Promise<MockRun<T>> {
    const monitor = new SecretAwareMockMonitor(options.mocks ?? planMocks());
    pulumi.runtime.setMockOptions(monitor, options.project, options.stack, false);
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
    // A program that throws (bad args raise ResourceError) must end the run cleanly: the error is kept and
    // rethrown once the stack has settled, instead of escaping as an unhandled rejection of the root stack.
    let outcome: { ok: true; result: T } | { ok: false; error: unknown } | undefined;
    await withoutStackTraces(async () => {
        await pulumi.runtime.runInPulumiStack(async () => {
            try {
                outcome = { ok: true, result: init() };
                return outcome.result;
            } catch (error) {
                outcome = { ok: false, error };
                return {};
            }
        });
        await pulumi.runtime.disconnect();
    });
    if (!outcome) throw new Error("the program did not run under mocks");
    if (!outcome.ok) throw outcome.error;
    const result = outcome.result;
    const resources = monitor.plannedResources();
    const stack = resources.find((r) => r.type === pulumi.runtime.rootPulumiStackTypeName);
    if (!stack) throw new Error("the root stack was not registered under mocks");
    return { resources, result, stack };
}
