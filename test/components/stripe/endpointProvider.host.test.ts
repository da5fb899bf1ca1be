import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as ts from "typescript";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamicProviderHost, type Properties } from "../../doubles/dynamicProviderHost.js";
import { startStripeDouble, type FaultSpec, type StripeDouble } from "../../doubles/stripe.js";
import { runEndpointProgram } from "../../support/serializedEndpoint.js";
import { stripeAnswerLimitBytes } from "../../../components/shared/boundedFetch.js";
import { startEndlessServer } from "../../doubles/endlessServer.js";

// The provider as the engine runs it: serialized by Pulumi from a real program run (the `__provider` input),
// executed by Pulumi's dynamic-provider host over gRPC, against the local Stripe double.

const apiKey = "sk_test_hostTestKey4242424242";
const urn = "urn:pulumi:test::vauntico-deploy::vauntico:stripe:WebhookEndpoint$pulumi-nodejs:dynamic:Resource::payments-endpoint";

let double: StripeDouble;
let host: DynamicProviderHost;
let serializedProvider: string;
/** The dynamic resource's inputs as the engine sends them to the host (secrets unwrapped). */
let programInputs: Properties;
const errorsSeen: string[] = [];

beforeAll(async () => {
    double = await startStripeDouble();
    const { endpoint } = await runEndpointProgram("payments", {
        url: "https://api.vauntico.example/webhooks/stripe",
        apiKey,
        mode: "test",
        description: "Vauntico payments",
        metadata: { owner: "kilo" },
        apiBase: double.apiBase,
    });
    const provider = endpoint.inputs.__provider;
    if (typeof provider !== "string") throw new Error("the registered dynamic resource has no serialized __provider");
    serializedProvider = provider;
    programInputs = { ...endpoint.inputs, apiKey };
    host = await DynamicProviderHost.start(process.cwd());
});

afterAll(async () => {
    await host?.stop();
    await double?.stop();
});

beforeEach(() => {
    double.reset();
});

/** What `pulumi up` does for a new resource: Check, then Create with the checked inputs. */
async function up(inputs: Properties = programInputs): Promise<{ id: string; outputs: Properties; inputs: Properties }> {
    const checked = await host.check(urn, {}, inputs);
    expect(checked.failures).toEqual([]);
    try {
        const created = await host.create(urn, checked.inputs);
        return { id: created.id, outputs: created.properties, inputs: checked.inputs };
    } catch (error) {
        errorsSeen.push(String(error));
        throw error;
    }
}

describe("the serialized provider", () => {
    it("is Pulumi's serialization of the provider, holding no API key or signing secret", () => {
        expect(serializedProvider).toContain("exports.handler");
        expect(serializedProvider).toContain('require("stripe")');
        expect(serializedProvider).not.toContain(apiKey);
        expect(serializedProvider).not.toMatch(/whsec_[A-Za-z0-9]{8,}/);
        expect(programInputs.vaunticoKind).toBe("stripe:WebhookEndpoint");
    });
});

describe("lifecycle through the dynamic-provider host", () => {
    it("creates, reads, updates in place, plans replacement and deletes", async () => {
        const { id, outputs, inputs } = await up();
        const [held] = double.webhookEndpoints();
        expect(held?.id).toBe(id);
        expect(outputs.signingSecret).toBe(double.signingSecretOf(id));
        expect(outputs.url).toBe("https://api.vauntico.example/webhooks/stripe");
        expect(outputs.__provider).toBe(serializedProvider);

        const read = await host.read(id, urn, outputs, inputs);
        expect(read.id).toBe(id);
        expect(read.properties.signingSecret).toBe(outputs.signingSecret);

        expect(await host.diff(id, urn, read.properties, inputs)).toMatchObject({ changes: "none", replaces: [] });

        double.resetCounters();
        const unchanged = await host.update(id, urn, read.properties, inputs);
        expect(double.writeCalls).toBe(0);
        expect(unchanged.signingSecret).toBe(outputs.signingSecret);

        const rotated = { ...inputs, apiKey: "sk_test_rotatedKey5151515151" };
        expect(await host.diff(id, urn, read.properties, rotated)).toMatchObject({ changes: "some", replaces: [] });
        const afterRotation = await host.update(id, urn, read.properties, rotated);
        expect(double.writeCalls).toBe(0);
        expect(afterRotation.apiKey).toBe(rotated.apiKey);

        const moved = { ...inputs, url: "https://api.vauntico.example/webhooks/stripe-v2", metadata: { team: "payments" } };
        expect(await host.diff(id, urn, unchanged, moved)).toMatchObject({ changes: "some", replaces: [] });
        const updated = await host.update(id, urn, unchanged, moved);
        expect(double.writeCalls).toBe(1);
        expect(updated.signingSecret).toBe(outputs.signingSecret);
        expect(double.webhookEndpoints()[0]).toMatchObject({ url: moved.url, metadata: { team: "payments" } });

        const repinned = { ...moved, apiVersion: "2026-09-30.endive" };
        expect((await host.diff(id, urn, updated, repinned)).replaces).toEqual(["apiVersion"]);
        expect((await host.diff(id, urn, updated, { ...moved, connect: true })).replaces).toEqual(["connect"]);

        await host.delete(id, urn, updated);
        expect(double.webhookEndpoints()).toEqual([]);
        await host.delete(id, urn, updated);
        expect(double.specErrors).toEqual([]);
    });

    it("detects drift and an out-of-band delete on refresh", async () => {
        const { id, outputs, inputs } = await up();
        double.editOutOfBand(id, { url: "https://elsewhere.example/hook", enabled_events: ["charge.refunded"] });
        const drifted = await host.read(id, urn, outputs, inputs);
        expect(drifted.properties).toMatchObject({ url: "https://elsewhere.example/hook", enabledEvents: ["charge.refunded"] });
        expect((await host.diff(id, urn, drifted.properties, inputs)).changes).toBe("some");
        const restored = await host.update(id, urn, drifted.properties, inputs);
        expect(double.webhookEndpoints()[0]?.url).toBe(inputs.url);
        expect(restored.signingSecret).toBe(outputs.signingSecret);

        double.deleteOutOfBand(id);
        const gone = await host.read(id, urn, restored, inputs);
        expect(gone.id).toBe("");
    });

    it("says loudly that an adopted endpoint's secret is unknown, plans its replacement and refuses to update it", async () => {
        const { id, outputs, inputs } = await up();
        const adopted = { ...outputs };
        delete adopted.signingSecret;
        const read = await host.read(id, urn, adopted, inputs);
        expect(read.properties.signingSecret).toBeUndefined();
        expect(await host.waitForStderr(/signing secret is unknown/)).toBe(true);
        expect((await host.diff(id, urn, read.properties, inputs)).replaces).toContain("signingSecret");
        await expect(host.update(id, urn, read.properties, inputs)).rejects.toThrow(/signing secret is unknown/);
    });

    it("in a preview, checks only the values already known and plans replacement for an unknown api version", async () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const checked = await host.check(urn, {}, { ...programInputs, url: unknown, enabledEvents: [unknown] });
        expect(checked.failures).toEqual([]);
        const { id, outputs } = await up();
        expect(await host.diff(id, urn, outputs, { ...programInputs, apiVersion: unknown })).toMatchObject({ changes: "some", replaces: ["apiVersion"] });
        expect(await host.diff(id, urn, outputs, { ...programInputs, url: unknown })).toMatchObject({ changes: "some", replaces: [] });
    });

    it("rejects an http URL and a key of the wrong mode in Check, without echoing the key", async () => {
        const checked = await host.check(urn, {}, { ...programInputs, url: "http://api.vauntico.example/hook", mode: "live" });
        expect(checked.failures.map((f) => f.property).sort()).toEqual(["apiKey", "url"]);
        expect(JSON.stringify(checked.failures)).not.toContain(apiKey);
    });
});

const createFaults: FaultSpec[] = [
    { kind: "server-error-500", times: 1 },
    { kind: "unavailable-503", times: 2 },
    { kind: "rate-limited-429", times: 1, retryAfterSeconds: 1 },
    { kind: "rate-limited-429", times: 1, retryAfterSeconds: 1, shouldRetry: true },
    { kind: "connection-reset", times: 1 },
    { kind: "response-lost", times: 1 },
    { kind: "response-lost", times: 2 },
];

describe("faults during create", () => {
    // Each case has a double of its own, so the cases' waits (the SDK's retry back-off, fixed) overlap.
    it.concurrent.for(createFaults)(
        "$kind ×$times (Stripe-Should-Retry: $shouldRetry): one endpoint, and the output secret is its secret",
        async (fault, { expect }) => {
            const own = await startStripeDouble();
            try {
                own.injectFault({ ...fault, route: "webhook_endpoints.create" });
                const { id, outputs } = await up({ ...programInputs, apiBase: own.apiBase });
                const endpoints = own.webhookEndpoints();
                expect(endpoints.map((e) => e.id)).toEqual([id]);
                expect(outputs.signingSecret).toBe(own.signingSecretOf(id));
                const creates = own.requestCount({ route: "webhook_endpoints.create" });
                expect(creates).toBe(1 + (fault.times ?? 1));
                expect(own.specErrors).toEqual([]);
            } finally {
                await own.stop();
            }
        },
    );

    it("a create that failed after its response was lost, run again (a second `pulumi up`), returns the same endpoint", async () => {
        double.injectFault({ kind: "response-lost", route: "webhook_endpoints.create", times: 4 });
        await expect(up()).rejects.toThrow();
        const [first] = double.webhookEndpoints();
        expect(double.webhookEndpoints()).toHaveLength(1);
        const { id, outputs } = await up();
        expect(id).toBe(first?.id);
        expect(outputs.signingSecret).toBe(double.signingSecretOf(id));
        expect(double.webhookEndpoints()).toHaveLength(1);
    });

    it("a replayed create whose endpoint was deleted since makes a fresh endpoint, generation after generation", async () => {
        const ids: string[] = [];
        for (let generation = 0; generation < 4; generation++) {
            const { id, outputs } = await up();
            expect(ids).not.toContain(id);
            expect(double.webhookEndpoints().map((e) => e.id)).toEqual([id]);
            expect(outputs.signingSecret).toBe(double.signingSecretOf(id));
            ids.push(id);
            double.deleteOutOfBand(id);
        }
    });

    it("a lost response in a later generation is still found by the re-run", async () => {
        const first = await up();
        double.deleteOutOfBand(first.id);
        // The first create request replays the deleted generation; the next four (the SDK's try and three
        // retries with the new key) execute once and lose every response.
        double.injectFault({ kind: "response-lost", route: "webhook_endpoints.create", skip: 1, times: 4 });
        await expect(up()).rejects.toThrow();
        const orphan = double.webhookEndpoints();
        expect(orphan).toHaveLength(1);
        const { id } = await up();
        expect(id).toBe(orphan[0]?.id);
        expect(double.webhookEndpoints()).toHaveLength(1);
    });
});

/**
 * The provider as `npm run build` compiles it (tsc, CommonJS), serialized by Pulumi in a plain node process:
 * vitest's transform differs from tsc's, and a closure that serializes there can still break here.
 */
function serializeTscBuild(): string {
    const folder = mkdtempSync(join(tmpdir(), "vauntico-provider-"));
    try {
        // The provider and the one module it imports (the bounded fetch), laid out as in the build.
        for (const file of ["stripe/endpointProvider", "shared/boundedFetch"]) {
            const source = readFileSync(join(process.cwd(), "components", `${file}.ts`), "utf8");
            const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
            mkdirSync(dirname(join(folder, `${file}.js`)), { recursive: true });
            writeFileSync(join(folder, `${file}.js`), compiled.outputText);
        }
        const script = [
            `const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});`,
            `const provider = require(${JSON.stringify(join(folder, "stripe", "endpointProvider.js"))}).webhookEndpointProvider;`,
            "pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((f) => process.stdout.write(f.text));",
        ].join("\n");
        const result = spawnSync(process.execPath, ["-e", script], { cwd: process.cwd(), encoding: "utf8" });
        if (result.status !== 0) throw new Error(`serializing the tsc build failed: ${result.stderr}`);
        return result.stdout;
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
}

describe("every Stripe answer read bounded", () => {
    it("an endless answer is cut at the limit and the connection closed, on every attempt", async () => {
        const endless = await startEndlessServer();
        try {
            const { port } = new URL(endless.url);
            const inputs = { ...programInputs, apiBase: { host: "127.0.0.1", port: Number(port), protocol: "http" } };
            const checked = await host.check(urn, {}, inputs);
            expect(checked.failures).toEqual([]);
            await expect(host.create(urn, checked.inputs)).rejects.toThrow();
            const attempts = endless.requests();
            expect(attempts).toBeGreaterThanOrEqual(1);
            // The server sees the close a moment after the client gave up.
            await expect.poll(() => endless.closedEarly()).toBe(attempts);
            // Each attempt read at most the limit (plus what was in flight when the reader stopped).
            expect(endless.written()).toBeLessThan(attempts * (stripeAnswerLimitBytes + 8 * 1024 * 1024));
        } finally {
            await endless.stop();
        }
    }, 60_000);
});

describe("the tsc build of the provider through the host", () => {
    it("serializes without capturing module exports and runs create, read and delete", async () => {
        const text = serializeTscBuild();
        expect(text).toContain("exports.handler");
        expect(text).not.toContain(apiKey);
        const inputs = { ...programInputs, __provider: text };
        const { id, outputs } = await up(inputs);
        expect(outputs.signingSecret).toBe(double.signingSecretOf(id));
        expect((await host.read(id, urn, outputs, inputs)).id).toBe(id);
        await host.delete(id, urn, outputs);
        expect(double.webhookEndpoints()).toEqual([]);
    });
});

describe("no plaintext secret outside the state", () => {
    it("the host's log and the errors it returned hold neither the API key nor a signing secret", () => {
        const logs = [host.stderr, ...errorsSeen].join("\n");
        expect(logs).not.toContain(apiKey);
        expect(logs).not.toMatch(/whsec_[A-Za-z0-9]{8,}/);
    });
});
