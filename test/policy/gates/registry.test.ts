import { teamsConfig } from "../../support/ledgerFixtures.js";
import { describe, expect, it } from "vitest";
import {
    assemblePolicies,
    enforcementFor,
    gateById,
    gateContextFromEnv,
    gates,
    handoffPhaseDeclared,
    livePaymentKeysOnlyAtPhase5,
    secretStrength,
} from "../../../policy/gates/index.js";
import { componentTypes, gateIds, itemsCheckedBy, phaseByNumber } from "../../../policy/protocol/index.js";
import { prodConfig, withConfig } from "../../support/fixtures.js";
import { context, messages, runStackGate } from "../../support/gateHarness.js";
import { phaseListing } from "../../support/protocolText.js";

describe("the registry", () => {
    it("holds exactly the protocol's gate ids, once each", () => {
        expect(gates.map((g) => g.id).sort()).toEqual([...gateIds].sort());
        expect(new Set(gates.map((g) => g.id)).size).toBe(gates.length);
    });

    for (const gate of gates) {
        it(`${gate.id}: metadata agrees with the protocol`, () => {
            const phase = phaseByNumber(gate.phase);
            expect(gate.owner).toBe(phase.owner);
            expect(phase.artifacts.map((a) => a.name)).toContain(gate.artifact);
            const items = [...phase.responsibilities, ...phase.criteria];
            const named = items.find((i) => i.text === gate.criterion);
            expect(named, `criterion "${gate.criterion}" is an item of phase ${gate.phase}`).toBeDefined();
            expect(named?.check.kind === "automated" && named.check.gates.includes(gate.id)).toBe(true);
            expect(itemsCheckedBy(gate.id).length).toBeGreaterThan(0);
        });
    }

    it("assembles one policy per gate, named by the gate id", () => {
        const policies = assemblePolicies(context());
        expect(policies.map((p) => p.name)).toEqual(gates.map((g) => g.id));
        expect(policies.every((p) => p.description === gateById(gateIdOf(p.name)).description)).toBe(true);
    });
});

function gateIdOf(name: string) {
    const id = gateIds.find((g) => g === name);
    if (id === undefined) throw new Error(`unknown gate ${name}`);
    return id;
}

describe("phase-aware enforcement", () => {
    /**
     * The level the protocol asks of a gate at `phase`, read from the protocol text, not from the gates' formula:
     * mandatory from the phase whose section lists its criterion. Mandatory at every phase by design
     * (policy/README.md): the live-keys gate, the phase declaration and the two ledger gates.
     */
    const mandatoryAtEveryPhase = new Set(["p5-live-payment-keys-only-at-phase-5", "handoff-phase-declared", "handoff-ledger-phase", "handoff-ledger-entries"]);
    const expectedLevel = (gateId: string, criterion: string, phase: number) =>
        mandatoryAtEveryPhase.has(gateId) || phaseListing(criterion) <= phase ? "mandatory" : "advisory";

    it("makes gates of phases ≤ vauntico:phase mandatory and later ones advisory, at every phase (each gate's phase − 1, phase, + 1)", () => {
        for (const phase of [1, 2, 3, 4, 5]) {
            const ctx = context(withConfig({ "vauntico:phase": String(phase) }));
            for (const policy of assemblePolicies(ctx)) {
                const gate = gateById(gateIdOf(policy.name));
                expect(policy.enforcementLevel, `${policy.name} at phase ${phase}`).toBe(expectedLevel(gate.id, gate.criterion, phase));
            }
        }
    });
    it("keeps the live-keys gate and the phase declaration mandatory at every phase", () => {
        const ctx = context(withConfig({ "vauntico:phase": "1" }));
        expect(enforcementFor(livePaymentKeysOnlyAtPhase5, ctx)).toBe("mandatory");
        expect(enforcementFor(handoffPhaseDeclared, ctx)).toBe("mandatory");
        expect(enforcementFor(gateById("p2-webhook-endpoints"), ctx)).toBe("advisory");
        expect(enforcementFor(secretStrength, ctx)).toBe("mandatory");
    });
    it("enforces every gate when no phase is declared (or it is out of range)", () => {
        for (const phase of [undefined, "0", "6", "two"]) {
            const ctx = context(withConfig({ "vauntico:phase": phase }));
            expect(ctx.declaredPhase).toBeNull();
            expect(assemblePolicies(ctx).every((p) => p.enforcementLevel === "mandatory")).toBe(true);
        }
    });
    it("reads the phase from PULUMI_CONFIG as the CLI passes it, and no stack key can switch a gate off", () => {
        const env = { PULUMI_CONFIG: JSON.stringify({ ...prodConfig, "vauntico:phase": "2", "vauntico:gates": '{"p1-secret-strength":"disabled"}' }) };
        const ctx = gateContextFromEnv(env);
        expect(ctx.declaredPhase).toBe(2);
        const levels = new Set(assemblePolicies(ctx).map((p) => p.enforcementLevel));
        expect([...levels].sort()).toEqual(["advisory", "mandatory"]);
        expect(gateContextFromEnv({ PULUMI_CONFIG: JSON.stringify({ "vauntico:config:phase": "4" }) }).declaredPhase).toBe(4);
        expect(gateContextFromEnv({}).declaredPhase).toBeNull();
    });
});

describe("handoff-phase-declared", () => {
    it("passes a declared phase matching the phase carrier", async () => {
        const carrier = { type: componentTypes.handoffPhase, name: "phase", props: { phase: 1, paymentsMode: "test" } };
        expect(await runStackGate(handoffPhaseDeclared, [carrier])).toEqual([]);
    });
    it("reports an undeclared phase", async () => {
        expect(messages(await runStackGate(handoffPhaseDeclared, [], context(withConfig({ "vauntico:phase": undefined }))))).toEqual([
            expect.stringContaining("vauntico:phase is missing or not a whole number from 1 to 5, so every gate is enforced as mandatory"),
        ]);
    });
    it("reports a carrier that disagrees with the config the pack was started with", async () => {
        const carrier = { type: componentTypes.handoffPhase, name: "phase", props: { phase: 3 } };
        expect(messages(await runStackGate(handoffPhaseDeclared, [carrier]))).toEqual([
            expect.stringContaining("the stack carries phase 3 but the policy pack was started with vauntico:phase 1"),
        ]);
    });
});

describe("nothing to check is a violation, not a pass", () => {
    // Gates for which an empty stack is genuinely compliant: no live key, a declared phase.
    const compliantWhenEmpty = new Set(["p5-live-payment-keys-only-at-phase-5", "handoff-phase-declared"]);
    // A resource gate checks what it is given; its presence partner reports the absence.
    const presencePartner: Record<string, string> = {
        "p1-secret-strength": "p1-secrets-generated",
        "p1-production-environment": "p1-production-environment-present",
        "p1-default-branch-protection": "p1-default-branch-protection-present",
        "p3-stripe-required-events": "p3-stripe-required-events-present",
        "p3-stripe-api-version-pinned": "p3-stripe-required-events-present",
    };
    it("every stack gate reports an empty stack, and every resource gate has a presence partner that does", async () => {
        // With vauntico:teams (required by the config schema) the stack is governed by the ledger, whose carrier must be there.
        const ctx = context(withConfig({ "vauntico:phase": "5", "vauntico:teams": JSON.stringify(teamsConfig) }));
        const reportsEmpty = new Set<string>();
        for (const gate of gates) {
            if (gate.kind === "stack" && (await runStackGate(gate, [], ctx)).length > 0) reportsEmpty.add(gate.id);
        }
        for (const gate of gates) {
            if (compliantWhenEmpty.has(gate.id)) continue;
            const partner = gate.kind === "resource" ? presencePartner[gate.id] : gate.id;
            expect(partner, `${gate.id} has a presence partner`).toBeDefined();
            expect(reportsEmpty.has(partner ?? ""), `${partner ?? gate.id} reports an empty stack`).toBe(true);
        }
    });
});

describe("gateById", () => {
    it("finds a registered gate, and throws on an id no gate has", () => {
        expect(gateById("p1-secret-strength")).toBe(secretStrength);
        expect(() => gateById("p9-no-such-gate" as Parameters<typeof gateById>[0])).toThrow("no gate p9-no-such-gate in the registry");
    });
});
