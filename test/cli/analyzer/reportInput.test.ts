import { afterEach, describe, expect, it, vi } from "vitest";
import { type Verdict, gateReportInput, ledgerView, planLedgerState } from "../../../cli/analyzer/index.js";
import type { Plan } from "../../../cli/plan/index.js";
import { handoffClockVariable, protocol } from "../../../policy/protocol/index.js";
import { environmentSecret } from "../../support/fixtures.js";
import { record, teams, waiver } from "../../support/ledgerFixtures.js";
import { planned } from "../../support/planFixtures.js";

// The input assembled in-process from a small plan and a stand-in evaluator; test/cli/report.gates.test.ts
// witnesses it on the prod plan with the real pack over gRPC.

const stackTeams = {
    Kilo: { slug: "kilo-dev", lead: teams.Kilo.lead, members: [...teams.Kilo.members] },
    Cline: { slug: "cline-ops", lead: teams.Cline.lead, members: [...teams.Cline.members] },
};

function smallPlan(secretProps: readonly string[]): Plan {
    const resources = planned([environmentSecret("JWT_SECRET")], secretProps);
    const records = [record("prod", waiver("p3-payments-dashboard", "stack", "cline-ops-lead", "2026-12-01T11:00:00Z", "2026-12-08T11:00:00Z", { id: "w-1" }))];
    // Only what gateReportInput reads is real; the typed config is reduced to its teams.
    const stackConfig = { teams: stackTeams } as unknown as Plan["stackConfig"];
    return {
        stack: "prod",
        project: "vauntico-deploy",
        phase: 2,
        resources,
        outputs: [],
        config: {},
        secretKeys: [],
        standIns: [],
        stackConfig,
        ledger: { stack: "prod", records, evidence: {} },
    };
}

const packVerdict: Verdict = { policy: "p1-some-gate", phase: 1, enforcement: "advisory", urn: null, message: "from the pack" };

describe("gateReportInput", () => {
    afterEach(() => {
        vi.unstubAllEnvs();
    });
    it("carries the protocol, a summary of the plan, the ledger view, and the pack's verdicts after the plan's own secret-ness verdicts", async () => {
        // The ledger is judged at the handoff clock: one day into the waiver's week, it is active.
        vi.stubEnv(handoffClockVariable, "2026-12-02T11:00:00Z");
        const plan = smallPlan([]);
        const judged: Plan[] = [];
        const input = await gateReportInput(plan, async (p) => {
            judged.push(p);
            return [packVerdict];
        });
        expect(judged).toEqual([plan]);
        expect(input.protocol).toBe(protocol);
        const [resource] = plan.resources;
        if (resource === undefined) throw new Error("fixture");
        expect(input.plan).toEqual({
            stack: "prod",
            project: "vauntico-deploy",
            phase: 2,
            resources: [{ urn: resource.urn, type: resource.type, name: resource.name }],
        });
        expect(input.verdicts.map((v) => v.policy)).toEqual(["preflight-secret-values-are-secrets", "p1-some-gate"]);
        expect(input.verdicts[1]).toBe(packVerdict);
        expect(input.ledger).toEqual(ledgerView(planLedgerState(plan)));
        expect(input.ledger.waivers.map((w) => [w.entry, w.state])).toEqual([["w-1", "active"]]);
    });
    it("holds only the pack's verdicts when every secret value is a Pulumi secret", async () => {
        const input = await gateReportInput(smallPlan(["plaintextValue"]), async () => [packVerdict]);
        expect(input.verdicts).toEqual([packVerdict]);
    });
});
