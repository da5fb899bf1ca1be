import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

/** A resource as the program registered it, with every Pulumi secret replaced by `"[secret]"`. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent resource, or null for a top-level resource. */
    parent: string | null;
    /** Custom (provider-managed) resource, as opposed to a component. */
    custom: boolean;
    inputs: Record<string, unknown>;
    /** Outputs: the provider's state for custom resources, the registered outputs of components. */
    outputs: Record<string, unknown>;
    /** Dotted paths of the input and output properties that are Pulumi secrets, e.g. `outputs.hex`. */
    secretPaths: string[];
}

export const redactedSecret = "[secret]";

type Callback = (err: unknown, response: unknown) => void;

function signatureOf(value: unknown): unknown {
    return typeof value === "object" && value !== null && pulumi.runtime.specialSigKey in value ? value[pulumi.runtime.specialSigKey] : undefined;
}

function isSecretEnvelope(value: unknown): value is { value: unknown } {
    return signatureOf(value) === pulumi.runtime.specialSecretSig;
}

function isResourceReference(value: unknown): value is { urn: string } {
    return (
        signatureOf(value) === pulumi.runtime.specialResourceSig &&
        typeof value === "object" &&
        value !== null &&
        "urn" in value &&
        typeof value.urn === "string"
    );
}

/** Replaces every secret by `"[secret]"` (recording its path) and every resource reference by its URN. */
export function redact(value: unknown, path: string, secretPaths: string[]): unknown {
    if (isSecretEnvelope(value)) {
        secretPaths.push(path);
        return redactedSecret;
    }
    if (isResourceReference(value)) return value.urn;
    if (Array.isArray(value)) return value.map((item, index) => redact(item, `${path}[${index}]`, secretPaths));
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, `${path}.${k}`, secretPaths)]));
    }
    return value;
}

function toRecord(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
}

function markSecret(value: unknown): unknown {
    return isSecretEnvelope(value) ? value : { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}

/**
 * Pulumi's mock monitor, plus what the engine does and the stock mock does not: outputs named in a
 * resource's `additionalSecretOutputs` come back as secrets (TOOLCHAIN: "Mocks do not apply a provider's
 * additionalSecretOutputs"). It also records every registration, so the plan knows parents and inputs.
 */
export class SecretAwareMockMonitor extends MockMonitor {
    public readonly planned = new Map<string, PlannedResource>();
    /** Serialized inputs and outputs as registered, secrets still wrapped. */
    private readonly raw = new Map<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }>();

    override async registerResource(req: RegisterResourceRequest, callback: Callback): Promise<void> {
        const secretOutputs = req.getAdditionalsecretoutputsList();
        const inputs = toRecord(req.getObject()?.toJavaScript());
        await super.registerResource(req, (err, response) => {
            if (err || !isRegisterResponse(response)) return callback(err, response);
            const outputs = toRecord(response.getObject()?.toJavaScript());
            for (const key of secretOutputs) {
                if (key in outputs) outputs[key] = markSecret(outputs[key]);
            }
            const urn = response.getUrn();
            response.setObject(structproto.Struct.fromJavaScript(toStructValues(outputs)));
            const registered = this.resources.get(urn);
            if (registered) registered.state = outputs;
            this.raw.set(urn, { inputs, outputs });
            this.planned.set(urn, {
                urn,
                type: req.getType(),
                name: req.getName(),
                parent: req.getParent() || null,
                custom: req.getCustom(),
                inputs: {},
                outputs: {},
                secretPaths: [],
            });
            callback(err, response);
        });
    }

    override registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: Callback): void {
        const entry = this.raw.get(req.getUrn());
        if (entry) entry.outputs = toRecord(req.getOutputs()?.toJavaScript());
        super.registerResourceOutputs(req, callback);
    }

    /** The registered resources in registration order, secrets redacted. */
    plannedResources(): PlannedResource[] {
        return [...this.planned.values()].map((resource) => {
            const entry = this.raw.get(resource.urn);
            const secretPaths: string[] = [];
            const inputs = toRecord(redact(entry?.inputs ?? {}, "inputs", secretPaths));
            const outputs = toRecord(redact(entry?.outputs ?? {}, "outputs", secretPaths));
            return { ...resource, inputs, outputs, secretPaths };
        });
    }
}

function isRegisterResponse(value: unknown): value is RegisterResourceResponse {
    return typeof value === "object" && value !== null && "getUrn" in value && "setObject" in value;
}

type StructValues = Record<string, structproto.JavaScriptValue>;

function toStructValue(value: unknown): structproto.JavaScriptValue {
    if (value === null || value === undefined) return null;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (Array.isArray(value)) return value.map(toStructValue);
    if (typeof value === "object") return toStructValues(toRecord(value));
    return String(value);
}

function toStructValues(record: Record<string, unknown>): StructValues {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toStructValue(v)]));
}
