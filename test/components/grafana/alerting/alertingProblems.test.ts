import { describe, expect, it } from "vitest";
import { alertingProblems, allSignals, durationSeconds, isRatioThreshold, resolveSettings, stepsByTeam } from "../../../../components/grafana/index.js";

const escalation = { teamLeads: { Kilo: { users: ["K1"] }, Cline: { users: ["C1"] } }, crossTeam: { userGroup: "G1" }, executives: { users: ["E1"] } };
const base = {
    settings: resolveSettings(),
    interval: 60,
    signals: allSignals,
    knownSignals: allSignals,
    teamNames: ["Kilo", "Cline"] as const,
    emailAddresses: { Kilo: ["k@vauntico.com"], Cline: ["c@vauntico.com"] },
    escalation,
};

describe("alertingProblems", () => {
    it("accepts the defaults", () => {
        expect(alertingProblems(base)).toEqual([]);
    });

    it("evaluation interval: 10 s accepted, 9 s refused", () => {
        expect(alertingProblems({ ...base, interval: 10 })).toEqual([]);
        expect(alertingProblems({ ...base, interval: 9 })).toEqual(["evaluationIntervalSeconds: 9 must be a whole number of seconds >= 10"]);
    });

    it("the signature rule's pending period plus the interval stays under its 10 m window: 599 s accepted, 600 s refused", () => {
        const pending = (period: string) => resolveSettings({ signatureVerificationFailure: { pendingPeriod: period } });
        expect(durationSeconds("8m59s")).toBe(539);
        expect(alertingProblems({ ...base, settings: pending("8m59s") })).toEqual([]);
        expect(alertingProblems({ ...base, settings: pending("9m") })).toEqual([
            'signatureVerificationFailure.pendingPeriod: "9m" plus the 60s interval must stay under the rule\'s 600s window',
        ]);
    });

    it("names a team without email, a bad address and an empty escalation target", () => {
        expect(
            alertingProblems({
                ...base,
                emailAddresses: { Kilo: [], Cline: ["not-an-address"] },
                escalation: { ...escalation, crossTeam: { users: [] } },
            }),
        ).toEqual([
            "emailAddresses.Kilo: empty; give at least one address",
            'emailAddresses.Cline: "not-an-address" is not an email address',
            "escalation.crossTeam: empty; give IRM user IDs or a user group ID",
        ]);
    });
});

describe("stepsByTeam", () => {
    it("gives each team its chain, L1 its own lead", () => {
        const { steps, problem } = stepsByTeam(["Kilo", "Cline"], escalation);
        expect(problem).toBeUndefined();
        expect(steps.Kilo?.[0]).toMatchObject({ type: "notify_persons", personsToNotifies: ["K1"] });
        expect(steps.Cline?.[0]).toMatchObject({ type: "notify_persons", personsToNotifies: ["C1"] });
    });

    it("reports an incident wait OnCall cannot hold", () => {
        expect(stepsByTeam(["Kilo"], { ...escalation, incidentAfterSeconds: 59 }).problem).toMatch(/^escalation\.incidentAfterSeconds: /);
    });
});

describe("settings: one rule for thresholds, shared with the config", () => {
    it("a ratio threshold lies strictly between 0 and 1", () => {
        expect([0, 0.0001, 0.5, 0.9999, 1].map(isRatioThreshold)).toEqual([false, true, true, true, false]);
        expect(alertingProblems({ ...base, settings: resolveSettings({ errorRate: { threshold: 1 } }) })).toEqual([
            "errorRate.threshold: 1 is a ratio and must lie between 0 and 1 (both excluded)",
        ]);
        expect(alertingProblems({ ...base, settings: resolveSettings({ paymentFailureRatio: { threshold: 0 } }) })).toHaveLength(1);
    });

    it("hours without a successful payment: 1 and 168 accepted, 0 and 169 refused", () => {
        const hours = (threshold: number) => alertingProblems({ ...base, settings: resolveSettings({ noSuccessfulPayment: { threshold } }) });
        expect(hours(1)).toEqual([]);
        expect(hours(168)).toEqual([]);
        expect(hours(0)).toEqual(["noSuccessfulPayment.threshold: 0 hours must be a whole number from 1 to 168"]);
        expect(hours(169)).toHaveLength(1);
    });
});
