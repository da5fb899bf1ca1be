import * as crypto from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { activationRecordKind } from "../../components/revenue/activationRecord.js";
import { dynamicKindProperty, stripeWebhookEndpointKind } from "../../policy/protocol/contract.js";

/** Fabricates the outputs a real provider would compute, keyed by resource type. */
export type OutputFabricator = (inputs: Record<string, unknown>, name: string) => Record<string, unknown>;

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
    [stripeWebhookEndpointKind]: (inputs) => ({
        signingSecret: `whsec_${randomHex(16)}`,
        status: inputs["disabled"] === true ? "disabled" : "enabled",
        livemode: inputs["mode"] === "live",
    }),
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
