import { describe, expect, it } from "vitest";
import { gateContextFromConfig, gateContextFromEnv, isPhaseNumber } from "../../../policy/gates/index.js";
import { handoffClockVariable } from "../../../policy/protocol/index.js";
import { teamsConfig } from "../../support/ledgerFixtures.js";

const read = (config: Record<string, string>) => gateContextFromConfig(config, 0);

describe("isPhaseNumber", () => {
    it("is true for the whole numbers 1 to 5 only", () => {
        expect([0, 1, 2, 3, 4, 5, 6].map(isPhaseNumber)).toEqual([false, true, true, true, true, true, false]);
        expect([1.5, "1", null, undefined].map(isPhaseNumber)).toEqual([false, false, false, false]);
    });
});

describe("gateContextFromConfig", () => {
    it("with an empty config: no phase declared (every gate enforced as at phase 5), the contract's defaults, nothing configured", () => {
        expect(read({})).toEqual({
            declaredPhase: null,
            phase: 5,
            paymentsMode: null,
            environmentName: "production",
            defaultBranch: "main",
            requiredChecks: [],
            requiredApprovals: 1,
            declaredSecrets: [],
            stripeConfigured: false,
            paystackConfigured: false,
            sentryProjects: [],
            teams: null,
            waivers: [],
            now: 0,
        });
    });
    it("reads the declared phase, which enforcement then follows", () => {
        expect(read({ "vauntico:phase": "3" })).toMatchObject({ declaredPhase: 3, phase: 3 });
        expect(read({ "vauntico:phase": "6" })).toMatchObject({ declaredPhase: null, phase: 5 });
    });
    it("reads the payments mode from the object or the dotted key, the object first; another mode is none", () => {
        expect(read({ "vauntico:payments": JSON.stringify({ mode: "live" }) }).paymentsMode).toBe("live");
        expect(read({ "vauntico:payments.mode": "test" }).paymentsMode).toBe("test");
        expect(read({ "vauntico:payments": JSON.stringify({ mode: "live" }), "vauntico:payments.mode": "test" }).paymentsMode).toBe("live");
        expect(read({ "vauntico:payments": JSON.stringify({ mode: "sandbox" }) }).paymentsMode).toBeNull();
    });
    it("knows each processor as configured when its section is an object, each alone", () => {
        const payments = (p: object) => read({ "vauntico:payments": JSON.stringify({ mode: "test", ...p }) });
        expect(payments({ stripe: {} })).toMatchObject({ stripeConfigured: true, paystackConfigured: false });
        expect(payments({ paystack: {} })).toMatchObject({ stripeConfigured: false, paystackConfigured: true });
        expect(payments({ stripe: "yes" })).toMatchObject({ stripeConfigured: false });
    });
    it("reads the environment, branch, checks and secrets", () => {
        const ctx = read({
            "vauntico:environment": JSON.stringify({ name: "prod-env" }),
            "vauntico:mergeProtection": JSON.stringify({ branch: "trunk", requiredChecks: ["a", "b"], requiredApprovals: 3 }),
            "vauntico:secrets": JSON.stringify([{ name: "A" }, { bytes: 32 }, { name: "B" }]),
            "vauntico:sentry": JSON.stringify({ projects: [{ slug: "web" }, { name: "no-slug" }, { slug: "api" }] }),
        });
        expect(ctx).toMatchObject({
            environmentName: "prod-env",
            defaultBranch: "trunk",
            requiredChecks: ["a", "b"],
            requiredApprovals: 3,
            declaredSecrets: ["A", "B"],
            sentryProjects: ["web", "api"],
        });
    });
    it("never asks fewer than one approval: 0 reads as 1, 1 and 2 as themselves", () => {
        const approvals = (n: number) => read({ "vauntico:mergeProtection": JSON.stringify({ requiredApprovals: n }) }).requiredApprovals;
        expect([0, 1, 2].map(approvals)).toEqual([1, 1, 2]);
    });
    it("reads vauntico:teams, or none unless both leads are named", () => {
        expect(read({ "vauntico:teams": JSON.stringify(teamsConfig) }).teams).toEqual({
            Kilo: { lead: teamsConfig.Kilo.lead, members: teamsConfig.Kilo.members },
            Cline: { lead: teamsConfig.Cline.lead, members: teamsConfig.Cline.members },
        });
        expect(read({ "vauntico:teams": JSON.stringify({ ...teamsConfig, Kilo: { members: [] } }) }).teams).toBeNull();
        expect(read({ "vauntico:teams": JSON.stringify({ ...teamsConfig, Cline: { members: [] } }) }).teams).toBeNull();
    });
    it("reads the waiver mirror, leaving out entries that do not parse", () => {
        const entry = {
            id: "w1",
            kind: "waiver",
            by: "x",
            at: "2026-12-01T09:00:00Z",
            gate: "p3-payments-dashboard",
            resource: "stack",
            reason: "r",
            expires: "2026-12-02T09:00:00Z",
        };
        const ctx = read({ "vauntico:waivers": JSON.stringify([entry, { id: "bad" }]) });
        expect(ctx.waivers.map((w) => w.entry.id)).toEqual(["w1"]);
        expect(ctx.waivers[0]?.file).toBe("vauntico:waivers");
    });
    it("takes the handoff clock when no time is given", () => {
        const saved = process.env[handoffClockVariable];
        process.env[handoffClockVariable] = "2026-12-01T09:00:00Z";
        try {
            expect(gateContextFromConfig({}).now).toBe(Date.parse("2026-12-01T09:00:00Z"));
        } finally {
            if (saved === undefined) delete process.env[handoffClockVariable];
            else process.env[handoffClockVariable] = saved;
        }
    });
});

describe("gateContextFromEnv", () => {
    it("reads PULUMI_CONFIG, with or without the ':config:' form of a key, skipping values that are not strings", () => {
        const env = {
            PULUMI_CONFIG: JSON.stringify({ "vauntico:config:phase": "4", "vauntico:environment": 7, "vauntico:mergeProtection": '{"branch":"dev"}' }),
        };
        expect(gateContextFromEnv(env)).toMatchObject({ declaredPhase: 4, environmentName: "production", defaultBranch: "dev" });
    });
    it("reads nothing from a missing or malformed PULUMI_CONFIG", () => {
        expect(gateContextFromEnv({}).declaredPhase).toBeNull();
        expect(gateContextFromEnv({ PULUMI_CONFIG: "not json" }).declaredPhase).toBeNull();
        expect(gateContextFromEnv({ PULUMI_CONFIG: '["vauntico:phase"]' }).declaredPhase).toBeNull();
    });
});
