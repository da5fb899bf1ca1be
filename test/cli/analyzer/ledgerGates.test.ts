import { describe, expect, it } from "vitest";
import { type Verdict, evaluatePlan } from "../../../cli/analyzer/index.js";
import { type LedgerRecord, componentTypes, handoffClockVariable } from "../../../policy/protocol/index.js";
import { completeStack, dashboard, type FixtureResource, phase1Stack, randomBytes, stripeEndpoint, withConfig } from "../../support/fixtures.js";
import { acceptance, at, ledgerUpTo, record, signOff, teamsConfig, waiver } from "../../support/ledgerFixtures.js";
import { planned } from "../../support/planFixtures.js";
import { carriedLedgerText } from "../../../components/protocol/index.js";
import { evaluateInProcess } from "../../support/inProcessPack.js";

const project = "vauntico-deploy";
const stack = "prod";

function carrier(records: readonly LedgerRecord[], evidence: Record<string, string | null> = {}): FixtureResource {
    return {
        type: componentTypes.handoffLedger,
        name: "handoff-ledger",
        props: { stack, entryCount: records.length, ledger: carriedLedgerText({ records, evidence }) },
    };
}

function config(phase: number, waivers: readonly LedgerRecord[] = []): Record<string, string> {
    return withConfig({
        "vauntico:phase": String(phase),
        "vauntico:teams": JSON.stringify(teamsConfig),
        "vauntico:waivers": JSON.stringify(waivers.map((w) => w.entry)),
    });
}

/**
 * The gates' verdicts with the handoff clock fixed at `now`: through the pack's Analyzer served in this process
 * (`evaluateInProcess`), or with `pack`, through the pack started as the CLI starts it, which reads the clock
 * from the environment it is started with. The last test witnesses that both give the same verdicts.
 */
async function verdictsAt(now: string, resources: readonly FixtureResource[], stackConfig: Record<string, string>, pack = false): Promise<Verdict[]> {
    const saved = process.env[handoffClockVariable];
    process.env[handoffClockVariable] = now;
    try {
        const plan = { project, stack, resources: planned(resources), config: stackConfig };
        return await (pack ? evaluatePlan(plan) : evaluateInProcess(plan));
    } finally {
        if (saved === undefined) delete process.env[handoffClockVariable];
        else process.env[handoffClockVariable] = saved;
    }
}

const mandatory = (verdicts: readonly Verdict[]) => verdicts.filter((v) => v.enforcement === "mandatory");

describe("ledger gates", () => {
    it("a legitimate ledger at the declared phase passes; a config phase without a phase move names both numbers", async () => {
        const clean = await verdictsAt(at(1000), [...phase1Stack(), carrier(ledgerUpTo(1))], config(1));
        expect(mandatory(clean)).toEqual([]);
        const moved = await verdictsAt(at(1000), [...phase1Stack(), carrier(ledgerUpTo(1))], config(2));
        expect(mandatory(moved).map((v) => v.policy)).toContain("handoff-ledger-phase");
        expect(mandatory(moved).find((v) => v.policy === "handoff-ledger-phase")?.message).toContain(
            "vauntico:phase is 2 but the handoff ledger's phase is 1 (no phase-move entry)",
        );
    }, 120_000);

    it("with vauntico:teams set, a stack without the ledger carrier is a mandatory violation", async () => {
        const verdicts = await verdictsAt(at(1000), phase1Stack(), config(1));
        expect(
            mandatory(verdicts)
                .map((v) => v.policy)
                .sort(),
        ).toEqual(["handoff-ledger-entries", "handoff-ledger-phase"]);
    }, 120_000);

    describe("a waiver", () => {
        // Two Stripe endpoints with an unpinned API version at phase 3: two mandatory findings of one waivable gate.
        const endpointA: FixtureResource = { ...stripeEndpoint({ apiVersion: "latest" }), name: "stripe-endpoint-a" };
        const endpointB: FixtureResource = { ...stripeEndpoint({ apiVersion: "latest" }), name: "stripe-endpoint-b" };
        const resources = [
            ...completeStack().filter((r) => r.name !== "stripe-endpoint" && !r.name.startsWith("dashboard-vauntico-payments")),
            endpointA,
            endpointB,
        ];
        const written = at(1000);
        const expires = "2026-12-08T09:00:00Z";
        const versionWaiver = record(
            stack,
            waiver("p3-stripe-api-version-pinned", "stripe-endpoint-a", "cline-ops-lead", written, expires, {
                reason: "Stripe pins on next release",
                blocker: "BLOCKER-P3-AAAAAA",
            }),
        );
        const dashboardWaiver = record(
            stack,
            waiver("p3-payments-dashboard", "stack", "cline-ops-engineer", written, expires, { reason: "dashboard ships Friday" }),
        );
        const ledger = [...ledgerUpTo(3), versionWaiver, dashboardWaiver];

        it("turns exactly its gate's violation on exactly its resource advisory, and stops one second after its expiry", async () => {
            // One after the other: the clock is read when each pack starts.
            const without = await verdictsAt(expires, [...resources, carrier(ledgerUpTo(3))], config(3));
            const during = await verdictsAt(at(1001), [...resources, carrier(ledger)], config(3, [versionWaiver, dashboardWaiver]));
            const atExpiry = await verdictsAt(expires, [...resources, carrier(ledger)], config(3, [versionWaiver, dashboardWaiver]));
            const after = await verdictsAt("2026-12-08T09:00:01Z", [...resources, carrier(ledger)], config(3, [versionWaiver, dashboardWaiver]));
            // The fixture URN ends in `<name>-<index>`.
            const pinned = (verdicts: readonly Verdict[]) =>
                verdicts
                    .filter((v) => v.policy === "p3-stripe-api-version-pinned")
                    .map((v) => `${v.urn?.split("::").pop()?.replace(/-\d+$/, "")} ${v.enforcement}`)
                    .sort();
            expect(pinned(without)).toEqual(["stripe-endpoint-a mandatory", "stripe-endpoint-b mandatory"]);
            for (const active of [during, atExpiry]) {
                expect(pinned(active)).toEqual(["stripe-endpoint-a advisory", "stripe-endpoint-b mandatory"]);
                const waived = active.find((v) => v.policy === "p3-stripe-api-version-pinned" && v.enforcement === "advisory");
                expect(waived?.message).toContain(`waived by cline-ops-lead until ${expires} (Stripe pins on next release)`);
                expect(waived?.waived).toBe(true);
                const dashboardVerdict = active.find((v) => v.policy === "p3-payments-dashboard");
                expect(dashboardVerdict).toMatchObject({
                    enforcement: "advisory",
                    urn: null,
                    message: expect.stringContaining(`waived by cline-ops-engineer until ${expires} (dashboard ships Friday)`),
                });
                // Nothing else changes: the verdicts are those without the waivers, these two downgraded.
                const strip = (verdicts: readonly Verdict[]) => verdicts.map((v) => `${v.policy}|${v.urn === null ? "stack" : v.urn}`).sort();
                expect(strip(active)).toEqual(strip(without));
                expect(mandatory(active).length).toBe(mandatory(without).length - 2);
            }
            expect(pinned(after)).toEqual(pinned(without));
            expect(after.find((v) => v.policy === "p3-stripe-api-version-pinned" && v.urn?.includes("stripe-endpoint-a"))?.message).toContain(
                `waiver ${versionWaiver.entry.id} by cline-ops-lead expired at ${expires}`,
            );
            expect(after.find((v) => v.policy === "p3-payments-dashboard")?.enforcement).toBe("mandatory");
            expect(mandatory(after).length).toBe(mandatory(without).length);
        }, 180_000);

        it("through the pack started as the CLI starts it, the clock from its environment: the same verdicts as judged here", async () => {
            const waived = [...resources, carrier(ledger)];
            const waivedConfig = config(3, [versionWaiver, dashboardWaiver]);
            // While the waiver holds and one second after it expired: no single clock other than the one set gives both.
            for (const [now, finding] of [
                [at(1001), "waived by"],
                ["2026-12-08T09:00:01Z", "expired at"],
            ]) {
                const pack = await verdictsAt(now, waived, waivedConfig, true);
                expect(pack.find((v) => v.policy === "p3-stripe-api-version-pinned" && v.urn?.includes("stripe-endpoint-a"))?.message).toContain(finding);
                expect(pack).toEqual(await verdictsAt(now, waived, waivedConfig));
            }
        }, 180_000);

        it("of a non-waivable gate leaves the violation mandatory and is itself a violation naming the entry", async () => {
            const weak = randomBytes("JWT_SECRET", 16);
            const strength = record(stack, waiver("p1-secret-strength", "secrets-jwt_secret", "cline-ops-lead", written, expires));
            const verdicts = await verdictsAt(
                at(1001),
                [...phase1Stack().filter((r) => r.name !== "secrets-jwt_secret"), weak, carrier([...ledgerUpTo(1), strength])],
                config(1, [strength]),
            );
            expect(verdicts.find((v) => v.policy === "p1-secret-strength")).toMatchObject({ enforcement: "mandatory" });
            expect(verdicts.find((v) => v.policy === "p1-secret-strength")?.message).not.toContain("waived");
            expect(mandatory(verdicts).find((v) => v.policy === "handoff-ledger-entries")?.message).toContain(
                `entry ${strength.entry.id}: waiver of p1-secret-strength, which can never be waived`,
            );
        }, 120_000);

        it("in the config but not in the ledger (or changed there) is a violation, and a ledger waiver missing from the config too", async () => {
            const extended = { ...dashboardWaiver, entry: { ...dashboardWaiver.entry, expires: "2026-12-14T09:00:00Z" } };
            const verdicts = await verdictsAt(
                at(1001),
                [
                    ...resources.filter((r) => r.name !== "stripe-endpoint-b"),
                    dashboard("vauntico-payments", "Payments"),
                    carrier([...ledgerUpTo(3), dashboardWaiver, versionWaiver]),
                ],
                config(3, [extended]),
            );
            const messages = mandatory(verdicts)
                .filter((v) => v.policy === "handoff-ledger-entries")
                .map((v) => v.message);
            expect(messages.some((m) => m.includes(`waiver ${dashboardWaiver.entry.id} of the ledger is different in vauntico:waivers`))).toBe(true);
            expect(messages.some((m) => m.includes(`waiver ${versionWaiver.entry.id} of the ledger is missing from vauntico:waivers`))).toBe(true);
        }, 120_000);
    });

    it("wrong-team sign-off and handing-team acceptance are violations naming the entry and who would be valid", async () => {
        const wrongSigner = record(stack, signOff("p1.secrets-documented", "cline-ops-lead", at(2000)));
        const handingAcceptance = record(stack, acceptance(1, "kilo-dev-engineer", at(2001)));
        const verdicts = await verdictsAt(at(3000), [...phase1Stack(), carrier([wrongSigner, handingAcceptance])], config(1));
        const messages = mandatory(verdicts)
            .filter((v) => v.policy === "handoff-ledger-entries")
            .map((v) => v.message);
        expect(messages).toEqual([
            expect.stringContaining(
                `entry ${wrongSigner.entry.id}: sign-off of p1.secrets-documented by cline-ops-lead (Cline), but p1.secrets-documented is owned by Kilo`,
            ),
            expect.stringContaining(`entry ${handingAcceptance.entry.id}: acceptance of phase 1 by kilo-dev-engineer (Kilo), the handing team`),
        ]);
        expect(messages[0]).toContain("valid would be a member of Kilo (kilo-dev-lead, kilo-dev-engineer)");
    }, 120_000);
});
