import type * as pulumi from "@pulumi/pulumi";
import { type ConfigProblem, createDeployment, type Ledger, parseStackConfig, readLedger, type StackConfig, StackConfigError } from "../../stacks/index.js";
import { runUnderMocks } from "./mockEngine.js";
import type { PlannedResource } from "./mockMonitor.js";
import { withoutProviderSerialization } from "./providerSerialization.js";
import { readStackFile, redactedConfig, type StackFileConfig } from "./stackFile.js";

export { planMocks } from "./fakeOutputs.js";
export { runUnderMocks, type MockRun } from "./mockEngine.js";
export { redactedSecret, type PlannedResource } from "./mockMonitor.js";
export { readStackFile, redactedConfig, type StackFileConfig } from "./stackFile.js";

export interface StackOutput {
    name: string;
    secret: boolean;
    /** The value, or `"[secret]"` where it (or anything inside it) is a secret. */
    value: unknown;
}

/** What `pulumi up` would register for a stack, computed offline. */
export interface Plan {
    stack: string;
    project: string;
    phase: number;
    resources: PlannedResource[];
    outputs: StackOutput[];
    /** The stack config the program ran with, secure values replaced by `"[secret]"`. */
    config: Record<string, string>;
    secretKeys: string[];
    /** Credentials the stack file lacks, stood in by secret placeholders: a real run needs each. */
    standIns: string[];
    /** The validated, typed config (credentials are secret Outputs). */
    stackConfig: StackConfig;
    /** The stack's handoff ledger (`handoff/<stack>/`), as the program carried it into the stack. */
    ledger: Ledger;
}

export interface PlanOptions {
    stack: string;
    /** Folder holding Pulumi.yaml and the stack file. Default: the current directory. */
    projectDir?: string;
    /** Config to use instead of the stack file's (tests; secure values as placeholders). */
    stackFile?: StackFileConfig;
    /** The ledger to use instead of reading `handoff/<stack>/` under the project folder (tests). */
    ledger?: Ledger;
    /** Mocks to use instead of the plan's own (tests that need to see generated values). */
    mocks?: pulumi.runtime.Mocks;
    /**
     * Serialize dynamic providers' code as `pulumi up` does. Default true; the commands pass false (the plan
     * shows the serialized code as `"[secret]"` either way; see `withoutProviderSerialization`).
     */
    serializeDynamicProviders?: boolean;
}

/**
 * Runs the program for a stack under Pulumi's mocks: config validated first (a `StackConfigError` leaves
 * nothing registered), then every resource the program registers is recorded with its parent and which of
 * its properties are secrets.
 */
export async function runPlan(options: PlanOptions): Promise<Plan> {
    const file = options.stackFile ?? readStackFile(options.projectDir ?? process.cwd(), options.stack);
    const secretKeys = new Set(file.secretKeys);
    // Config and ledger are both checked before anything runs, and every problem of both is reported at once.
    const problems: ConfigProblem[] = [];
    const checked = <T>(read: () => T): T | undefined => {
        try {
            return read();
        } catch (error) {
            if (!(error instanceof StackConfigError)) throw error;
            problems.push(...error.problems);
            return undefined;
        }
    };
    const stackConfig = checked(() => parseStackConfig(file.config, secretKeys));
    const ledger = checked(() => options.ledger ?? readLedger(options.projectDir ?? process.cwd(), file.stack));
    if (stackConfig === undefined || ledger === undefined) throw new StackConfigError(problems);

    const underMocks = () =>
        runUnderMocks(
            { project: file.project, stack: file.stack, config: file.config, secretKeys: file.secretKeys, ...(options.mocks ? { mocks: options.mocks } : {}) },
            () => createDeployment(stackConfig, ledger),
        );
    const run = options.serializeDynamicProviders === false ? await withoutProviderSerialization(underMocks) : await underMocks();
    const outputs = Object.entries(run.stack.outputs).map(([name, value]) => ({
        name,
        secret: run.stack.secretPaths.some((p) => p === `outputs.${name}` || p.startsWith(`outputs.${name}.`) || p.startsWith(`outputs.${name}[`)),
        value,
    }));

    const config = redactedConfig(file);
    return {
        stack: file.stack,
        project: file.project,
        phase: stackConfig.phase,
        resources: run.resources,
        outputs,
        config,
        secretKeys: [...file.secretKeys],
        standIns: [...(file.standIns ?? [])],
        stackConfig,
        ledger,
    };
}
