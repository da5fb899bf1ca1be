import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { activationRecordKind } from "../../components/revenue/activationRecord.js";
import { dynamicKindProperty, stripeWebhookEndpointKind } from "../../policy/protocol/contract.js";

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

/** Fabricates the outputs a real provider would compute, keyed by resource type. */
export type OutputFabricator = (inputs: Record<string, unknown>, name: string) => Record<string, unknown>;

export const redactedSecret = "[secret]";

function randomHex(bytes: number): string {
    return crypto.randomBytes(bytes).toString("hex");
}

/**
 * Outputs of provider resources that the program reads. Values that are secrets here are made secret by the
 * SDK's own `additionalSecretOutputs`, applied by `SecretAwareMockMonitor` as the engine would.
 */
export const outputFabricators: Record<string, OutputFabricator> = {
    "random:index/randomBytes:RandomBytes": (inputs) => {
        const length = typeof inputs["length"] === "number" ? inputs["length"] : 32;
        const bytes = crypto.randomBytes(length);
        return { base64: bytes.toString("base64"), hex: bytes.toString("hex") };
    },
    "random:index/randomPassword:RandomPassword": (inputs) => {
        const length = typeof inputs["length"] === "number" ? inputs["length"] : 32;
        return { result: randomHex(length).slice(0, length) };
    },
    "grafana:onCall/integration:Integration": (_inputs, name) => ({ link: `https://oncall.invalid/integrations/v1/grafana_alerting/${name}/` }),
    "sentry:index/sentryTeam:SentryTeam": (_inputs, name) => ({ internalId: fakeNumericId(`sentry-team:${name}`) }),
    "sentry:index/sentryKey:SentryKey": (_inputs, name) => {
        const publicKey = randomHex(16);
        return {
            public: publicKey,
            secret: randomHex(16),
            dsnPublic: `https://${publicKey}@o0.ingest.sentry.invalid/${fakeNumericId(name)}`,
        };
    },
};

/** Outputs our dynamic providers compute, keyed by the `vaunticoKind` input that tells them apart. */
export const dynamicOutputFabricators: Record<string, OutputFabricator> = {
    // Stripe returns the signing secret only on create; the mock returns one as create would.
    [stripeWebhookEndpointKind]: (inputs) => ({ signingSecret: `whsec_${randomHex(16)}`, status: inputs["disabled"] === true ? "disabled" : "enabled", livemode: inputs["mode"] === "live" }),
    [activationRecordKind]: () => ({ activatedAt: "1970-01-01T00:00:00.000Z" }),
};

function fabricatorFor(type: string, inputs: Record<string, unknown>): OutputFabricator | undefined {
    const kind = inputs[dynamicKindProperty];
    return type === "pulumi-nodejs:dynamic:Resource" && typeof kind === "string" ? dynamicOutputFabricators[kind] : outputFabricators[type];
}

/** Deterministic numeric IDs for GitHub teams and users looked up by slug or login. */
export function fakeNumericId(text: string): string {
    return String(parseInt(crypto.createHash("sha256").update(text).digest("hex").slice(0, 8), 16));
}

/** The mocks the offline plan uses: echo inputs, fabricate computed outputs, answer look-ups. */
export function planMocks(): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
            const inputs: Record<string, unknown> = args.inputs;
            const fabricate = fabricatorFor(args.type, inputs);
            return {
                id: args.custom === false ? undefined : `${args.name}-id`,
                state: { ...inputs, ...(fabricate ? fabricate(inputs, args.name) : {}) },
            };
        },
        call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
            const inputs: Record<string, unknown> = args.inputs;
            const handle = [inputs["slug"], inputs["username"], inputs["name"]].find((v) => typeof v === "string") ?? args.token;
            return { ...inputs, id: fakeNumericId(`${args.token}:${String(handle)}`) };
        },
    };
}

type Callback = (err: unknown, response: unknown) => void;

function signatureOf(value: unknown): unknown {
    return typeof value === "object" && value !== null && pulumi.runtime.specialSigKey in value ? value[pulumi.runtime.specialSigKey] : undefined;
}

function isSecretEnvelope(value: unknown): value is { value: unknown } {
    return signatureOf(value) === pulumi.runtime.specialSecretSig;
}

function isResourceReference(value: unknown): value is { urn: string } {
    return signatureOf(value) === pulumi.runtime.specialResourceSig
        && typeof value === "object" && value !== null && "urn" in value && typeof value.urn === "string";
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
    if (!outcome) throw new Error("the program did not run under mocks");
    if (!outcome.ok) throw outcome.error;
    const result = outcome.result;
    const resources = monitor.plannedResources();
    const stack = resources.find((r) => r.type === pulumi.runtime.rootPulumiStackTypeName);
    if (!stack) throw new Error("the root stack was not registered under mocks");
    return { resources, result, stack };
}
