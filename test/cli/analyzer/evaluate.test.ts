import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PolicyPackSession, blocksDeployment, evaluatePlan, openPolicyPack, resourcePolicyTypes } from "../../../cli/analyzer/index.js";
import { livePackProcesses } from "../../../cli/analyzer/packProcess.js";
import { gates } from "../../../policy/gates/index.js";
import { completeStack, phase1Stack, randomBytes, stripeEndpoint, types, withConfig } from "../../support/fixtures.js";
import { planned } from "../../support/planFixtures.js";
import { openInProcessPack } from "../../support/inProcessPack.js";
import { phaseListing } from "../../support/protocolText.js";

const project = "vauntico-deploy";

/**
 * The level the protocol asks of a gate at `phase`, read from the protocol text, not from the gates' formula: a
 * gate is mandatory from the phase whose section lists its criterion. Two gates are mandatory at every phase by
 * design (policy/README.md, "mandatory at every phase"): live keys before phase 5 and an undeclared phase.
 */
const mandatoryAtEveryPhase = new Set(["p5-live-payment-keys-only-at-phase-5", "handoff-phase-declared"]);
function expectedLevel(gateId: string, phase: number): "mandatory" | "advisory" {
    const gate = gates.find((g) => g.id === gateId);
    if (gate === undefined) throw new Error(`no gate ${gateId}`);
    return mandatoryAtEveryPhase.has(gateId) || phaseListing(gate.criterion) <= phase ? "mandatory" : "advisory";
}
const stack = "prod";

const phase1Config = withConfig({ "vauntico:phase": "1" });
let phase1Session: PolicyPackSession;
beforeAll(async () => {
    phase1Session = await openPolicyPack({ project, stack, config: phase1Config });
});
afterAll(async () => {
    await phase1Session?.close();
});

describe("the pack started as the CLI starts it, at phase 1", () => {
    it("GetAnalyzerInfo: names the pack and every gate, phase-1 gates and the live-keys gate mandatory, later ones advisory", () => {
        expect(phase1Session.info.name).toBe("vauntico-handoff-gates");
        expect(phase1Session.info.version).toBe("0.1.0");
        const levels = Object.fromEntries(phase1Session.info.policies.map((p) => [p.name, p.enforcement]));
        expect(Object.keys(levels).sort()).toEqual(gates.map((g) => g.id).sort());
        for (const gate of gates) {
            expect(levels[gate.id], gate.id).toBe(expectedLevel(gate.id, 1));
        }
        expect(phase1Session.info.policies.find((p) => p.name === "p1-secret-strength")?.kind).toBe("resource");
        expect(phase1Session.info.policies.find((p) => p.name === "p1-secrets-delivered")?.kind).toBe("stack");
    });

    it("GetAnalyzerInfo: the tests' in-process stand-in for the pack (test/support/inProcessPack.ts) describes the same policies", async () => {
        expect((await openInProcessPack({ project, stack, config: phase1Config })).info).toEqual(phase1Session.info);
    });

    it("Analyze: a 16-byte secret is a mandatory p1-secret-strength violation on that resource", async () => {
        const [weak] = planned([randomBytes("JWT_SECRET", 16)]);
        if (!weak) throw new Error("fixture");
        expect(await phase1Session.analyze(weak)).toEqual([
            {
                policy: "p1-secret-strength",
                phase: 1,
                enforcement: "mandatory",
                urn: weak.urn,
                message:
                    '[p1-secret-strength] phase 1 (Secrets & Merge), criterion "Secrets properly formatted and secure", owner Kilo: ' +
                    'secret JWT_SECRET is 16 bytes (128 bits), below 256 bits. Blocks artifact "SECRETS_GENERATION_REPORT.md". To fix: set its "bytes" in vauntico:secrets to at least 32.',
            },
        ]);
    });

    it("AnalyzeStack: the compliant phase-1 stack passes every mandatory gate; later phases show as advisory", async () => {
        const verdicts = await phase1Session.evaluate(planned(phase1Stack()));
        expect(verdicts.filter((v) => v.enforcement === "mandatory")).toEqual([]);
        expect(blocksDeployment(verdicts)).toBe(false);
        expect(verdicts).toContainEqual(
            expect.objectContaining({
                policy: "p3-payments-dashboard",
                phase: 3,
                enforcement: "advisory",
                urn: null,
                message: expect.stringContaining("no Payments dashboard (Grafana uid vauntico-payments) in the stack"),
            }),
        );
    });

    it("AnalyzeStack: an undelivered secret is mandatory, and the message names phase, criterion, owner, artifact and fix", async () => {
        const verdicts = await phase1Session.evaluate(planned(phase1Stack().filter((r) => r.name !== "env-secret-jwt_secret")));
        const mandatory = verdicts.filter((v) => v.enforcement === "mandatory");
        expect(mandatory).toHaveLength(1);
        expect(mandatory[0]).toMatchObject({ policy: "p1-secrets-delivered", phase: 1 });
        expect(mandatory[0]?.urn).toContain("secrets-jwt_secret");
        for (const part of [
            "phase 1 (Secrets & Merge)",
            'criterion "Environment variables configured and tested"',
            "owner Kilo",
            'Blocks artifact "Environment configuration files"',
            "To fix: deliver it once",
        ]) {
            expect(mandatory[0]?.message).toContain(part);
        }
    });

    it("the live-keys gate is mandatory at phase 1", async () => {
        const verdicts = await phase1Session.analyzeStack(planned([...phase1Stack(), stripeEndpoint({ mode: "live" })]));
        expect(verdicts.filter((v) => v.enforcement === "mandatory").map((v) => v.policy)).toEqual(["p5-live-payment-keys-only-at-phase-5"]);
    });
});

const resourceGateIds = gates.filter((g) => g.kind === "resource").map((g) => g.id);

describe("skipping Analyze for types no resource policy is tagged with", () => {
    it("knows the tagged types", () => {
        const types = resourcePolicyTypes(withConfig({}));
        expect(types === null ? [] : [...types].sort()).toEqual([
            "github:index/branchProtection:BranchProtection",
            "github:index/repositoryEnvironment:RepositoryEnvironment",
            "pulumi-nodejs:dynamic:Resource",
            "random:index/randomBytes:RandomBytes",
        ]);
    });
    it("gives exactly the verdicts of analyzing every resource", async () => {
        // The skipping session is the phase-1 pack above, started as the CLI starts it. Analyzing every resource
        // is done by the pack's Analyzer served in this process (the policy SDK's own handlers, which give the
        // pack's verdicts: see test/stacks/payments.modeMatrix.test.ts), so no second pack process starts for it.
        const every = await openInProcessPack({ project, stack, config: phase1Config, analyzeEveryResource: true });
        const stacks = [
            completeStack(),
            phase1Stack().map((r) => (r.name === "secrets-jwt_secret" ? randomBytes("JWT_SECRET", 8) : r)),
            [...completeStack(), stripeEndpoint({ mode: "live", enabledEvents: [], apiVersion: "latest", url: "http://x" })],
        ];
        const expectedResourceFindings = [[], ["p1-secret-strength"], ["p3-stripe-required-events", "p3-stripe-api-version-pinned"]];
        for (const [index, resources] of stacks.entries()) {
            const fast = await phase1Session.evaluate(planned(resources));
            expect(fast).toEqual(await every.evaluate(planned(resources)));
            const resourcePolicies = new Set<string>(resourceGateIds);
            expect(fast.filter((v) => resourcePolicies.has(v.policy)).map((v) => v.policy)).toEqual(expectedResourceFindings[index]);
        }
    });
});

describe("enforcement follows vauntico:phase", () => {
    it("at phase 3, phase 2 and 3 gates are mandatory and phase 4 ones advisory", async () => {
        const resources = planned(completeStack().filter((r) => !r.name.startsWith("dashboard-vauntico-payments") && !r.type.includes("sentry")));
        const verdicts = await evaluatePlan({ project, stack, resources, config: withConfig({ "vauntico:phase": "3" }) });
        const levels = verdicts.map((v) => [v.policy, v.enforcement]);
        expect(levels).toContainEqual(["p3-payments-dashboard", "mandatory"]);
        expect(levels).toContainEqual(["p4-sentry-projects-alerted", "advisory"]);
        for (const [policy, enforcement] of levels) expect(enforcement, policy).toBe(expectedLevel(String(policy), 3));
        expect(blocksDeployment(verdicts)).toBe(true);
    });
    it("without a declared phase every gate is mandatory; the pack evaluatePlan started has exited when it returns", async () => {
        const packsBefore = livePackProcesses().size;
        const verdicts = await evaluatePlan({ project, stack, resources: planned(phase1Stack()), config: withConfig({ "vauntico:phase": undefined }) });
        expect(livePackProcesses().size).toBe(packsBefore);
        expect(verdicts.length).toBeGreaterThan(0);
        expect(verdicts.every((v) => v.enforcement === "mandatory")).toBe(true);
        expect(verdicts).toContainEqual(expect.objectContaining({ policy: "handoff-phase-declared" }));
    });

    // One pack for the phase-5 cases: a session answers each request on its own, so they need not start one each.
    describe("at phase 5, payments live", () => {
        // How the engine sends a value not known until the resource is created (the policy SDK's unknown string).
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const completeLive = () => [...completeStack().filter((r) => r.name !== "stripe-endpoint"), stripeEndpoint({ mode: "live" })];
        let session: PolicyPackSession;
        beforeAll(async () => {
            session = await openPolicyPack({
                project,
                stack,
                config: withConfig({ "vauntico:phase": "5", "vauntico:payments": JSON.stringify({ mode: "live" }) }),
            });
        });
        afterAll(async () => {
            await session?.close();
        });

        it("a complete stack passes", async () => {
            expect(await session.evaluate(planned(completeLive()))).toEqual([]);
        });
        it("values unknown during preview: an unknown chain id or folder uid does not turn the escalation and dashboard gates into 'can't run'", async () => {
            const resources = completeLive().map((r) => {
                if (r.type === types.escalation) return { ...r, props: { ...r.props, escalationChainId: unknown } };
                if (r.type === types.dashboard) return { ...r, props: { ...r.props, folder: unknown } };
                return r;
            });
            expect(await session.evaluate(planned(resources))).toEqual([]);
        });
        it("values unknown during preview: a gate that cannot read a value it needs is reported advisory by the pack, naming the gate", async () => {
            const resources = completeLive().map((r) => (r.name === "env-environment" ? { ...r, props: { ...r.props, environment: unknown } } : r));
            const verdicts = await session.evaluate(planned(resources));
            expect(verdicts.length).toBeGreaterThan(0);
            expect(verdicts.every((v) => v.enforcement === "advisory" && v.message.includes("can't run policy"))).toBe(true);
        });
    });
});
