import * as pulumi from "@pulumi/pulumi";
import type { PaymentMode } from "../../policy/protocol/contract.js";
import { ActivationRecord, activationRecordKind } from "./activationRecord.js";

/** The protocol's revenue activation phase. */
export const revenuePhase = 5;

export interface RevenueActivationArgs {
    /** The stack's payment mode (`vauntico:payments.mode`): "test" or "live". */
    mode: PaymentMode;
    /** The handoff phase the stack is at (`vauntico:phase`), 1–5. */
    phase: number;
}

/**
 * Whether revenue counts as activated: live payments at phase 5. Live payments below phase 5 are not an
 * activation but a violation, which the gate `p5-live-payment-keys-only-at-phase-5` reports; no time is
 * recorded for them.
 */
export function isRevenueActivated(mode: PaymentMode, phase: number): boolean {
    return mode === "live" && phase === revenuePhase;
}

function isPaymentMode(value: unknown): value is PaymentMode {
    return value === "test" || value === "live";
}

/**
 * Phase 5, revenue activation: records when payments went live (at phase 5) as a stack output, so the first
 * live payment can be looked for from that moment on (`npm run validate -- first-payment`).
 */
export class RevenueActivation extends pulumi.ComponentResource {
    public static readonly type = "vauntico:revenue:RevenueActivation";

    public readonly mode: PaymentMode;
    public readonly activated: boolean;
    /** ISO 8601 time payments went live at phase 5; undefined while they are not. */
    public readonly activatedAt: pulumi.Output<string | undefined>;

    constructor(name: string, args: RevenueActivationArgs, opts?: pulumi.ComponentResourceOptions) {
        super(RevenueActivation.type, name, {}, opts);
        if (!isPaymentMode(args.mode)) {
            throw new pulumi.ResourceError(`mode: ${JSON.stringify(args.mode)} given; expected "test" or "live"`, this);
        }
        if (!Number.isInteger(args.phase) || args.phase < 1 || args.phase > revenuePhase) {
            throw new pulumi.ResourceError(`phase: ${JSON.stringify(args.phase)} given; expected a whole number from 1 to ${revenuePhase}`, this);
        }
        this.mode = args.mode;
        this.activated = isRevenueActivated(args.mode, args.phase);
        if (this.activated) {
            const record = new ActivationRecord(`${name}-record`, { vaunticoKind: activationRecordKind, mode: args.mode }, { parent: this });
            this.activatedAt = record.activatedAt;
        } else {
            this.activatedAt = pulumi.output(undefined);
        }
        this.registerOutputs({ mode: this.mode, activated: this.activated, activatedAt: this.activatedAt });
    }
}
