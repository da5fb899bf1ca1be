import * as pulumi from "@pulumi/pulumi";

// This module's provider is serialized into the stack's state by Pulumi's closure serializer and run by the
// dynamic-provider host: it uses nothing but its arguments and globals.

/** The value of the `vaunticoKind` input that tells this dynamic resource apart from the others. */
export const activationRecordKind = "revenue:ActivationRecord";

export interface ActivationRecordInputs {
    vaunticoKind: string;
    /** The payment mode that was activated; always "live" today, kept so a change replaces the record. */
    mode: string;
}

export interface ActivationRecordOutputs extends ActivationRecordInputs {
    /** ISO 8601 time of the `pulumi up` that created the record, i.e. that switched payments to live. */
    activatedAt: string;
}

function readInputs(value: unknown): ActivationRecordInputs {
    const record = typeof value === "object" && value !== null ? value : {};
    const kind = "vaunticoKind" in record && typeof record.vaunticoKind === "string" ? record.vaunticoKind : "";
    const mode = "mode" in record && typeof record.mode === "string" ? record.mode : "";
    return { vaunticoKind: kind, mode };
}

function readOutputs(value: unknown): ActivationRecordOutputs {
    const record = typeof value === "object" && value !== null ? value : {};
    const activatedAt = "activatedAt" in record && typeof record.activatedAt === "string" ? record.activatedAt : "";
    return { ...readInputs(value), activatedAt };
}

/**
 * Records when revenue was activated: the time is taken once, at create, and kept in the state through every
 * later `up` (nothing updates it); deactivating deletes the record, and activating again records a new time.
 */
export const activationRecordProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
        const wanted = readInputs(inputs);
        const activatedAt = new Date().toISOString();
        return { id: `revenue-activation-${activatedAt}`, outs: { ...wanted, activatedAt } };
    },

    async diff(_id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
        const held = readOutputs(olds);
        const wanted = readInputs(news);
        const replaces = (["vaunticoKind", "mode"] as const).filter((key) => held[key] !== wanted[key]);
        return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
    },

    async read(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
        return { id, props: readOutputs(props) };
    },
};

/** The record itself (type `pulumi-nodejs:dynamic:Resource`); created by `RevenueActivation`. */
export class ActivationRecord extends pulumi.dynamic.Resource {
    declare public readonly mode: pulumi.Output<string>;
    declare public readonly activatedAt: pulumi.Output<string>;

    constructor(name: string, inputs: { vaunticoKind: string; mode: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
        super(activationRecordProvider, name, { ...inputs, activatedAt: undefined }, opts);
    }
}
