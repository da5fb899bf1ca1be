import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { type Gate, gateById, gateContextFromConfig, gateFacts, gateWaivers, policyFor, waivedMessage, withWaivers } from "../../../policy/gates/index.js";
import type { LedgerRecord, Waiver } from "../../../policy/protocol/index.js";
import { type FixtureResource, completeStack, stripeEndpoint, withConfig } from "../../support/fixtures.js";
import { type Finding, policyResource, resourceArgs } from "../../support/gateHarness.js";
import { at, record, teamsConfig, waiver } from "../../support/ledgerFixtures.js";

// Waivers applied in-process; test/cli/analyzer/ledgerGates.test.ts witnesses them through the pack over gRPC.

const written = at(1000);
const expires = "2026-12-08T09:00:00Z";
const expiresMs = Date.parse(expires);
const pinned = gateById("p3-stripe-api-version-pinned");
const dashboardGate = gateById("p3-payments-dashboard");

const endpointA: FixtureResource = { ...stripeEndpoint({ apiVersion: "latest" }), name: "stripe-endpoint-a" };
const endpointB: FixtureResource = { ...stripeEndpoint({ apiVersion: "latest", url: "https://b.example/stripe" }), name: "stripe-endpoint-b" };
const versionEntry = waiver("p3-stripe-api-version-pinned", "stripe-endpoint-a", "cline-ops-lead", written, expires, {
    reason: "pins next release",
    blocker: "BLOCKER-P3-AAAAAA",
});
const versionWaiver = record("prod", versionEntry);
const dashboardEntry = waiver("p3-payments-dashboard", "stack", "cline-ops-engineer", written, expires, { reason: "ships Friday" });
const dashboardWaiver = record("prod", dashboardEntry);

function ctx(now: number, waivers: readonly LedgerRecord[], teamsSet = true) {
    return gateContextFromConfig(
        withConfig({
            "vauntico:phase": "3",
            "vauntico:teams": teamsSet ? JSON.stringify(teamsConfig) : undefined,
            "vauntico:waivers": JSON.stringify(waivers.map((w) => w.entry)),
        }),
        now,
    );
}

const ids = (list: readonly Waiver[]) => list.map((w) => w.id);

describe("gateWaivers", () => {
    it("splits a gate's valid waivers at the clock: active up to and at the expiry, expired one millisecond after", () => {
        const split = (now: number) => gateWaivers(pinned, ctx(now, [versionWaiver]), gateFacts);
        expect(split(expiresMs - 1)).toEqual({ active: [versionWaiver.entry], expired: [] });
        expect(split(expiresMs)).toEqual({ active: [versionWaiver.entry], expired: [] });
        expect(split(expiresMs + 1)).toEqual({ active: [], expired: [versionWaiver.entry] });
    });
    it("takes only waivers of this gate", () => {
        const both = ctx(expiresMs, [versionWaiver, dashboardWaiver]);
        expect(ids(gateWaivers(pinned, both, gateFacts).active)).toEqual([versionWaiver.entry.id]);
        expect(ids(gateWaivers(dashboardGate, both, gateFacts).active)).toEqual([dashboardWaiver.entry.id]);
    });
    it("ignores a waiver that breaks the rules (approved by the owning team) and every waiver without vauntico:teams", () => {
        const byOwner = record("prod", waiver("p3-stripe-api-version-pinned", "stripe-endpoint-a", "kilo-dev-lead", written, expires, { id: "by-owner" }));
        expect(gateWaivers(pinned, ctx(expiresMs, [byOwner]), gateFacts)).toEqual({ active: [], expired: [] });
        expect(gateWaivers(pinned, ctx(expiresMs, [versionWaiver], false), gateFacts)).toEqual({ active: [], expired: [] });
    });
});

describe("waivedMessage", () => {
    it("appends who waived it, until when, why, the waiver and its blocker when it names one", () => {
        expect(waivedMessage("m", versionEntry)).toBe(
            `m — waived by cline-ops-lead until ${expires} (pins next release); waiver ${versionWaiver.entry.id} for BLOCKER-P3-AAAAAA`,
        );
        expect(waivedMessage("m", dashboardEntry)).toBe(`m — waived by cline-ops-engineer until ${expires} (ships Friday); waiver ${dashboardWaiver.entry.id}`);
    });
});

async function runResourcePolicy(policy: ResourceValidationPolicy | StackValidationPolicy, resources: readonly FixtureResource[]): Promise<Finding[]> {
    if (!("validateResource" in policy) || policy.validateResource === undefined) throw new Error(`${policy.name} is not a resource policy`);
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    const findings: Finding[] = [];
    for (const resource of resources) {
        for (const validate of validations) await validate(resourceArgs(resource), (message, urn) => findings.push({ message, urn }));
    }
    return findings;
}

async function runStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy, resources: readonly FixtureResource[]): Promise<Finding[]> {
    if (!("validateStack" in policy) || policy.validateStack === undefined) throw new Error(`${policy.name} is not a stack policy`);
    const findings: Finding[] = [];
    const args = { resources: resources.map(policyResource), stackTags: new Map(), getConfig: () => JSON.parse("{}"), notApplicable: () => undefined as never };
    await policy.validateStack(args, (message, urn) => findings.push({ message, urn }));
    return findings;
}

function policies(gate: Gate, now: number, waivers: readonly LedgerRecord[]) {
    const context = ctx(now, waivers);
    const plain = policyFor(gate, context);
    return { plain, waived: withWaivers(gate, plain, context, gateFacts) };
}

describe("withWaivers on a resource gate", () => {
    it("without a waiver of the gate, is the gate's policy alone, unchanged", () => {
        const { plain, waived } = policies(pinned, expiresMs, [dashboardWaiver]);
        expect(waived).toHaveLength(1);
        expect(waived[0]).toBe(plain);
    });
    it("while active: the gate leaves the waived resource out; its advisory twin reports only that one, waived", async () => {
        const { plain, waived } = policies(pinned, expiresMs, [versionWaiver]);
        expect(waived.map((p) => [p.name, p.enforcementLevel])).toEqual([
            ["p3-stripe-api-version-pinned", plain.enforcementLevel],
            ["p3-stripe-api-version-pinned-waived", "advisory"],
        ]);
        const [gatePolicy, twin] = waived;
        if (gatePolicy === undefined || twin === undefined) throw new Error("two policies");
        const all = await runResourcePolicy(plain, [endpointA, endpointB]);
        expect(all.map((f) => f.message)).toEqual([expect.stringContaining("api.vauntico.com"), expect.stringContaining("b.example")]);
        const kept = await runResourcePolicy(gatePolicy, [endpointA, endpointB]);
        expect(kept).toEqual([all[1]]);
        const twinFound = await runResourcePolicy(twin, [endpointA, endpointB]);
        expect(twinFound).toEqual([{ message: waivedMessage(all[0]?.message ?? "", versionEntry), urn: undefined }]);
    });
    it("keeps the type tag by which the pack skips other types", () => {
        const { waived } = policies(pinned, expiresMs, [versionWaiver]);
        for (const policy of waived) expect(policy, policy.name).toHaveProperty("validateResource.__pulumiType", "pulumi-nodejs:dynamic:Resource");
    });
    it("once expired: one policy, the finding kept and marked with the expired waiver", async () => {
        const { plain, waived } = policies(pinned, expiresMs + 1000, [versionWaiver]);
        expect(waived.map((p) => p.name)).toEqual(["p3-stripe-api-version-pinned"]);
        const [gatePolicy] = waived;
        if (gatePolicy === undefined) throw new Error("one policy");
        const all = await runResourcePolicy(plain, [endpointA, endpointB]);
        expect(await runResourcePolicy(gatePolicy, [endpointA, endpointB])).toEqual([
            { message: `${all[0]?.message} (waiver ${versionWaiver.entry.id} by cline-ops-lead expired at ${expires})`, urn: undefined },
            all[1],
        ]);
    });
});

describe("withWaivers on a stack gate", () => {
    const noDashboard = completeStack().filter((r) => !r.name.startsWith("dashboard-vauntico-payments"));
    it("a waiver of the stack moves the stack-wide finding to the advisory twin", async () => {
        const { plain, waived } = policies(dashboardGate, expiresMs, [dashboardWaiver]);
        const [gatePolicy, twin] = waived;
        if (gatePolicy === undefined || twin === undefined) throw new Error("two policies");
        const all = await runStackPolicy(plain, noDashboard);
        expect(all).toHaveLength(1);
        expect(await runStackPolicy(gatePolicy, noDashboard)).toEqual([]);
        expect(await runStackPolicy(twin, noDashboard)).toEqual([{ message: waivedMessage(all[0]?.message ?? "", dashboardEntry), urn: undefined }]);
        expect(twin).toMatchObject({ name: "p3-payments-dashboard-waived", enforcementLevel: "advisory" });
    });
    it("a waiver naming a resource does not cover a stack-wide finding", async () => {
        const onResource = record("prod", waiver("p3-payments-dashboard", "some-dashboard", "cline-ops-engineer", written, expires, { id: "on-resource" }));
        const { plain, waived } = policies(dashboardGate, expiresMs, [onResource]);
        const [gatePolicy, twin] = waived;
        if (gatePolicy === undefined || twin === undefined) throw new Error("two policies");
        expect(await runStackPolicy(gatePolicy, noDashboard)).toEqual(await runStackPolicy(plain, noDashboard));
        expect(await runStackPolicy(twin, noDashboard)).toEqual([]);
    });
});
