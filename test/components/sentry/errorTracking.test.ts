import { describe, expect, it } from "vitest";
import { runUnderMocks } from "../../../cli/plan/index.js";
import { sentryDsnSecretName } from "../../../policy/protocol/contract.js";
import { emailActionId, ErrorTracking, slackActionId, type ErrorTrackingArgs } from "../../../components/sentry/index.js";
import { monitoringMocks } from "../../support/monitoringMocks.js";
import { byType, records } from "../../support/values.js";

const types = {
    team: "sentry:index/sentryTeam:SentryTeam",
    project: "sentry:index/sentryProject:SentryProject",
    key: "sentry:index/sentryKey:SentryKey",
    issueAlert: "sentry:index/sentryIssueAlert:SentryIssueAlert",
    metricAlert: "sentry:index/sentryMetricAlert:SentryMetricAlert",
    secret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
};

function args(): ErrorTrackingArgs {
    return {
        organization: "vauntico",
        team: "vauntico",
        projects: [
            { slug: "frontend", platform: "javascript-react" },
            { slug: "backend", platform: "node", errorCountThreshold: 20 },
        ],
        delivery: { repository: "vauntico-mvp", environment: "production" },
        slack: { integrationId: "123456", channel: "#alerts" },
    };
}

function run(input: ErrorTrackingArgs) {
    return runUnderMocks({ project: "p", stack: "s", mocks: monitoringMocks() }, () => new ErrorTracking("sentry", input));
}

describe("ErrorTracking", () => {
    it("creates one team and, per project, a key, an issue alert and a metric alert matched by slug", async () => {
        const { resources } = await run(args());
        expect(byType(resources, types.team)).toHaveLength(1);
        const slugs = byType(resources, types.project).map((p) => p.inputs["slug"]);
        expect(slugs).toEqual(["frontend", "backend"]);
        for (const slug of slugs) {
            expect(byType(resources, types.key).filter((k) => k.inputs["project"] === slug)).toHaveLength(1);
            expect(byType(resources, types.issueAlert).filter((a) => a.inputs["project"] === slug)).toHaveLength(1);
            expect(byType(resources, types.metricAlert).filter((a) => a.inputs["project"] === slug)).toHaveLength(1);
        }
        const component = resources.find((r) => r.type === "vauntico:sentry:ErrorTracking");
        for (const child of resources.filter((r) => r.type.startsWith("sentry:") || r.type.startsWith("github:"))) {
            expect(child.parent).toBe(component?.urn);
        }
    });

    it("delivers each DSN once, as a secret, under sentryDsnSecretName(slug)", async () => {
        const { resources } = await run(args());
        const secrets = byType(resources, types.secret);
        expect(secrets.map((s) => s.inputs["secretName"])).toEqual([sentryDsnSecretName("frontend"), sentryDsnSecretName("backend")]);
        for (const secret of secrets) {
            // plaintextValue's secret-ness is @pulumi/github's (test/components/github/productionEnvironment.test.ts).
            expect(secret.inputs).toMatchObject({ repository: "vauntico-mvp", environment: "production" });
        }
    });

    it("alerts on a new issue or a regression in production, to Slack and to the team by email", async () => {
        const { resources } = await run(args());
        for (const alert of byType(resources, types.issueAlert)) {
            expect(alert.inputs).toMatchObject({ environment: "production", actionMatch: "any" });
            expect(records(alert.inputs["conditions"]).map((c) => c["id"])).toEqual([
                "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition",
                "sentry.rules.conditions.regression_event.RegressionEventCondition",
            ]);
            const actions = records(alert.inputs["actions"]);
            expect(actions.find((a) => a["id"] === slackActionId)).toMatchObject({ workspace: "123456", channel: "#alerts" });
            expect(actions.find((a) => a["id"] === emailActionId)).toMatchObject({ targetType: "Team", targetIdentifier: "team-sentry-team" });
        }
    });

    it("sets each metric alert's threshold from the args (default 50), notifying Slack and email", async () => {
        const { resources } = await run(args());
        const thresholds = byType(resources, types.metricAlert).map((a) => records(a.inputs["triggers"])[0]?.["alertThreshold"]);
        expect(thresholds).toEqual([50, 20]);
        for (const alert of byType(resources, types.metricAlert)) {
            const trigger = records(alert.inputs["triggers"])[0];
            expect(records(trigger?.["actions"]).map((a) => a["type"])).toEqual(["slack", "email"]);
            expect(alert.inputs).toMatchObject({ environment: "production", aggregate: "count()", timeWindow: 60 });
        }
    });

    it("rejects bad args naming the field", async () => {
        await expect(
            run({ ...args(), projects: [{ slug: "Front End", platform: "x", errorCountThreshold: 0 }], metricAlertWindowMinutes: 7, slack: { integrationId: "slack", channel: "#a" } }),
        ).rejects.toThrow(/projects\[0\]\.slug: "Front End".*projects\[0\]\.errorCountThreshold: 0.*metricAlertWindowMinutes: 7; valid: 1, 5.*slack\.integrationId: "slack"/);
    });
});
