import * as pulumi from "@pulumi/pulumi";
import { componentTypes, type PaymentMode, type PhaseNumber, phaseNumbers } from "../../policy/protocol/index.js";

export interface HandoffPhaseArgs {
    /** The protocol phase the stack is in (1–5), as `vauntico:phase` declares it. */
    phase: PhaseNumber;
    /** The payment keys' mode; `"test"` until phase 5. Default `"test"`. */
    paymentsMode?: PaymentMode;
}

/** Why the args are unacceptable; empty when they are fine. */
export function handoffPhaseProblems(args: { phase: number; paymentsMode?: string }): string[] {
    const problems: string[] = [];
    const allowed: readonly number[] = phaseNumbers;
    if (!allowed.includes(args.phase)) problems.push(`phase: ${args.phase} given; expected a whole number from 1 to 5`);
    if (args.paymentsMode !== undefined && args.paymentsMode !== "test" && args.paymentsMode !== "live") {
        problems.push(`paymentsMode: ${JSON.stringify(args.paymentsMode)} given; expected "test" or "live"`);
    }
    return problems;
}

/**
 * Carries the stack's handoff phase into the stack itself, so stack policies and reports read the phase
 * from the registered resources, not only from the config the pack was started with. The pack sets
 * enforcement from `PULUMI_CONFIG` at start; the `handoff-phase-declared` gate fails when this carrier
 * disagrees with it (program and pack run with different configs).
 */
export class HandoffPhase extends pulumi.ComponentResource {
    public static readonly type = componentTypes.handoffPhase;

    public readonly phase: PhaseNumber;
    public readonly paymentsMode: PaymentMode;

    constructor(name: string, args: HandoffPhaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(HandoffPhase.type, name, {}, opts);
        const problems = handoffPhaseProblems(args);
        if (problems.length > 0) throw new pulumi.ResourceError(`Invalid handoff phase: ${problems.join("; ")}`, this);
        this.phase = args.phase;
        this.paymentsMode = args.paymentsMode ?? "test";
        this.registerOutputs({ phase: this.phase, paymentsMode: this.paymentsMode });
    }
}
