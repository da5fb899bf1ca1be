import type { PlanForGates, PolicyPackSession, Verdict } from "./evaluate.js";
import { openPolicyPack } from "./evaluate.js";
import type { LaunchedPack } from "./packLaunch.js";

export interface PackIdentity {
    project: string;
    stack: string;
    config: Readonly<Record<string, string>>;
    secretKeys?: readonly string[];
}

function sameConfig(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
    const keys = Object.keys(a).sort();
    return keys.join("\n") === Object.keys(b).sort().join("\n") && keys.every((k) => a[k] === b[k]);
}

/** Whether a pack started with `identity` may judge `plan`: the same project, stack and config (in any key order). */
export function samePackIdentity(identity: PackIdentity, plan: Pick<PackIdentity, "project" | "stack" | "config">): boolean {
    return plan.project === identity.project && plan.stack === identity.stack && sameConfig(plan.config, identity.config);
}

/**
 * Starts the pack before the plan exists: the pack is a separate process and its start (≈ 1.2 s, mostly
 * loading @pulumi/pulumi) overlaps the program run under mocks. `evaluate` uses it when the plan ran with
 * the same config, and otherwise starts a pack with the plan's config, so verdicts never come from a pack
 * started with other settings.
 */
export class PrestartedPolicyPack {
    private readonly session: Promise<PolicyPackSession | Error>;
    private readonly launch: AbortController;

    /**
     * `early`: a pack already launched with this identity (see `launchPack`) and the controller its launch
     * was given; else one is launched now.
     */
    constructor(
        private readonly identity: PackIdentity,
        early?: { launched: Promise<LaunchedPack>; abort: AbortController },
    ) {
        this.launch = early?.abort ?? new AbortController();
        this.session = openPolicyPack({ ...identity, signal: this.launch.signal }, early?.launched).catch((error: unknown) =>
            error instanceof Error ? error : new Error(String(error)),
        );
    }

    async evaluate(plan: PlanForGates): Promise<Verdict[]> {
        const started = await this.session;
        const reusable = !(started instanceof Error) && samePackIdentity(this.identity, plan);
        if (!reusable) {
            await this.cancel();
            const session = await openPolicyPack({
                project: plan.project,
                stack: plan.stack,
                config: plan.config,
                ...(plan.secretKeys ? { secretKeys: plan.secretKeys } : {}),
            });
            try {
                return await session.evaluate(plan.resources);
            } finally {
                await session.close();
            }
        }
        try {
            return await started.evaluate(plan.resources);
        } finally {
            await started.close();
        }
    }

    /** Stops the pack (when the plan failed, or was not evaluated with it); one still starting is killed. */
    async cancel(): Promise<void> {
        this.launch.abort();
        const started = await this.session;
        if (!(started instanceof Error)) await started.close();
    }
}
