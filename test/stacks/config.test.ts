import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runPlan } from "../../cli/plan/index.js";
import { StackConfigError, configSecretKeys, deliveredEnvironmentSecrets, parseStackConfig } from "../../stacks/config.js";
import { prodStackFile, prodValue, prodWith } from "../support/stackFiles.js";
import { isRecord } from "../support/values.js";

function problemsOf(run: () => unknown): StackConfigError {
    try {
        run();
    } catch (error) {
        if (error instanceof StackConfigError) return error;
        throw error;
    }
    throw new Error("expected a StackConfigError");
}

function isTeams(value: unknown): value is { Kilo: Record<string, unknown>; Cline: Record<string, unknown> } {
    return (
        typeof value === "object" && value !== null && "Kilo" in value && "Cline" in value && typeof value.Kilo === "object" && typeof value.Cline === "object"
    );
}

const secrets = prodValue("vauntico:secrets");
const environment = prodValue("vauntico:environment");
const mergeProtection = prodValue("vauntico:mergeProtection");
const payments = prodValue("vauntico:payments");
const teams = prodValue("vauntico:teams");
const kilo = { slug: "kilo-dev", lead: "kilo-dev-lead", members: ["kilo-dev-lead", "kilo-dev-engineer"] };
const cline = { slug: "cline-ops", lead: "cline-ops-lead", members: ["cline-ops-lead", "cline-ops-engineer"] };
if (!Array.isArray(secrets) || typeof environment !== "object" || typeof mergeProtection !== "object" || typeof payments !== "object" || !isTeams(teams)) {
    throw new Error("prod stack shape changed");
}

/** Broken configs: the change, and the key (with path) the error must name. */
const brokenConfigs: {
    title: string;
    changes: Record<string, unknown>;
    key: string;
    secretKeys?: (keys: string[]) => string[];
    given?: string;
    expected?: string;
}[] = [
    { title: "phase missing", changes: { "vauntico:phase": undefined }, key: "vauntico:phase", expected: "missing; expected a whole number from 1 to 5" },
    { title: "phase out of range", changes: { "vauntico:phase": 6 }, key: "vauntico:phase", expected: "expected a whole number from 1 to 5", given: "6" },
    {
        title: "phase of the wrong type",
        changes: { "vauntico:phase": "one" },
        key: "vauntico:phase",
        expected: "expected a whole number from 1 to 5",
        given: '"one"',
    },
    { title: "github:owner missing", changes: { "github:owner": undefined }, key: "github:owner" },
    {
        title: "repository with a slash",
        changes: { "vauntico:repository": "vauntico/vauntico-mvp" },
        key: "vauntico:repository",
        expected: "expected a GitHub repository name (without the owner)",
    },
    {
        title: "secret shorter than 32 bytes",
        changes: { "vauntico:secrets": [{ ...secrets[0], bytes: 16 }] },
        key: "vauntico:secrets[0].bytes",
        expected: "expected at least 32 bytes (256 bits of entropy)",
        given: "16",
    },
    {
        title: "duplicate secret name",
        changes: { "vauntico:secrets": [secrets[0], secrets[0]] },
        key: "vauntico:secrets[1].name",
        expected: "duplicate secret name (also at index 0)",
    },
    {
        title: "unknown secret encoding",
        changes: { "vauntico:secrets": [{ ...secrets[0], encoding: "base32" }] },
        key: "vauntico:secrets[0].encoding",
        expected: "expected one of hex, base64",
        given: '"base32"',
    },
    {
        title: "lower-case secret name",
        changes: { "vauntico:secrets": [{ ...secrets[0], name: "jwt" }] },
        key: "vauntico:secrets[0].name",
        expected: "expected an UPPER_SNAKE_CASE name not starting with GITHUB_",
    },
    { title: "secret set not a list", changes: { "vauntico:secrets": { name: "JWT" } }, key: "vauntico:secrets" },
    {
        title: "malformed reviewer login",
        changes: { "vauntico:environment": { ...environment, reviewers: { users: ["not a login!"] } } },
        key: "vauntico:environment.reviewers.users[0]",
        expected: "expected a GitHub username (letters, digits, single hyphens, ≤ 39 characters)",
    },
    {
        title: "no reviewers",
        changes: { "vauntico:environment": { ...environment, reviewers: { teams: [], users: [] } } },
        key: "vauntico:environment.reviewers",
        expected: "expected at least one required reviewer (team or user)",
    },
    {
        title: "zero approvals",
        changes: { "vauntico:mergeProtection": { ...mergeProtection, requiredApprovals: 0 } },
        key: "vauntico:mergeProtection.requiredApprovals",
        expected: "expected at least 1 approving review",
        given: "0",
    },
    {
        title: "no required checks",
        changes: { "vauntico:mergeProtection": { ...mergeProtection, requiredChecks: [] } },
        key: "vauntico:mergeProtection.requiredChecks",
        expected: "expected at least one required status check (the CI jobs that must pass)",
    },
    {
        title: "typo in a protection field",
        changes: { "vauntico:mergeProtection": { ...mergeProtection, requiredAprovals: 2 } },
        key: "vauntico:mergeProtection",
        expected: 'Unrecognized key: "requiredAprovals" (values not shown)',
    },
    {
        title: "plaintext Stripe key",
        changes: {},
        secretKeys: (keys) => keys.filter((k) => k !== "vauntico:stripeSecretKey"),
        key: "vauntico:stripeSecretKey",
        expected:
            "a credential must be a Pulumi secret: set it with `pulumi config set --secret vauntico:stripeSecretKey <value>` (the plaintext value is not shown)",
    },
    {
        title: "plaintext GitHub token",
        changes: {},
        secretKeys: (keys) => keys.filter((k) => k !== "github:token"),
        key: "github:token",
        expected: "a credential must be a Pulumi secret: set it with `pulumi config set --secret github:token <value>` (the plaintext value is not shown)",
    },
    {
        title: "http webhook URL",
        changes: { "vauntico:payments": { ...payments, stripe: { webhookUrl: "http://api.vauntico.com/webhooks/stripe" } } },
        key: "vauntico:payments.stripe.webhookUrl",
        expected: "uses http:; expected https://",
    },
    {
        title: "unknown payment mode",
        changes: { "vauntico:payments": { ...payments, mode: "production" } },
        key: "vauntico:payments.mode",
        expected: "expected one of test, live",
        given: '"production"',
    },
    {
        title: "Stripe configured without its key",
        changes: { "vauntico:stripeSecretKey": undefined },
        secretKeys: (keys) => keys.filter((k) => k !== "vauntico:stripeSecretKey"),
        key: "vauntico:stripeSecretKey",
        expected: "missing; needed by vauntico:payments.stripe: set it with `pulumi config set --secret vauntico:stripeSecretKey sk_test_…`",
    },
    {
        title: "misspelt vauntico key",
        changes: { "vauntico:phse": 2 },
        key: "vauntico:phse",
        expected:
            "unknown key (its value is not shown); known vauntico keys: vauntico:phase, vauntico:repository, vauntico:environment, vauntico:mergeProtection, vauntico:secrets, vauntico:payments, vauntico:monitoring, vauntico:sentry, vauntico:teams, vauntico:waivers, vauntico:executives, vauntico:stripeSecretKey, vauntico:paystackSecretKey, vauntico:slackWebhookUrl",
    },
    // The handoff ledger is judged against the teams: they are required.
    {
        title: "teams missing",
        changes: { "vauntico:teams": undefined },
        key: "vauntico:teams",
        expected:
            "missing; expected the two teams, Kilo and Cline, each { slug, lead, members }: who may sign, accept, waive and move phases in the handoff ledger",
    },
    {
        title: "unknown team",
        changes: { "vauntico:teams": { Kilo: kilo, Cline: cline, Devs: kilo } },
        key: "vauntico:teams",
        expected: "unknown team Devs; the protocol has two teams, Kilo and Cline (values not shown)",
    },
    { title: "a team missing", changes: { "vauntico:teams": { Kilo: kilo } }, key: "vauntico:teams.Cline" },
    {
        title: "empty team",
        changes: { "vauntico:teams": { Kilo: { ...kilo, members: [] }, Cline: cline } },
        key: "vauntico:teams.Kilo.members",
        expected: "expected at least one member login",
    },
    {
        title: "a login in both teams",
        changes: { "vauntico:teams": { Kilo: kilo, Cline: { ...cline, members: ["Kilo-Dev-Engineer", ...cline.members] } } },
        key: "vauntico:teams.Cline.members[0]",
        expected: "a login may belong to one team only (also in Kilo)",
        given: '"Kilo-Dev-Engineer"',
    },
    {
        title: "lead not a member",
        changes: { "vauntico:teams": { Kilo: { ...kilo, lead: "someone-else" }, Cline: cline } },
        key: "vauntico:teams.Kilo.lead",
        expected: "expected the lead to be one of the team's members",
        given: '"someone-else"',
    },
    {
        title: "malformed team slug",
        changes: { "vauntico:teams": { Kilo: { ...kilo, slug: "Kilo Dev" }, Cline: cline } },
        key: "vauntico:teams.Kilo.slug",
        expected: "expected a GitHub team slug (lowercase letters, digits, '-' or '_')",
    },
    {
        title: "waiver mirror with a bad expiry",
        changes: {
            "vauntico:waivers": [
                {
                    id: "w-1",
                    kind: "waiver",
                    by: "kilo-dev-lead",
                    at: "2026-12-02T07:00:00Z",
                    gate: "p3-payments-dashboard",
                    resource: "stack",
                    reason: "r",
                    expires: "soon",
                },
            ],
        },
        key: "vauntico:waivers[w-1].expires",
        expected: "expected an ISO 8601 time with a zone",
        given: '"soon"',
    },
    {
        title: "waiver mirror not a list",
        changes: { "vauntico:waivers": { id: "w-1" } },
        key: "vauntico:waivers",
        expected: "expected a list of waiver entries (written by npm run handoff -- waive)",
    },
    {
        title: "both teams with one GitHub team slug",
        changes: { "vauntico:teams": { ...teams, Cline: { ...teams.Cline, slug: teams.Kilo["slug"] } } },
        key: "vauntico:teams.Cline.slug",
        expected: "expected a GitHub team of its own (Kilo has the same slug)",
        given: '"kilo-dev"',
    },
];

describe("stack config: the prod stack file", () => {
    it("parses into typed config with every credential a secret", async () => {
        const file = prodStackFile();
        const config = parseStackConfig(file.config, new Set(file.secretKeys));
        expect(config.phase).toBe(1);
        expect(config.github).toEqual({ owner: "vauntico", repository: "vauntico-mvp" });
        expect(config.mergeProtection.requiredApprovals).toBeGreaterThanOrEqual(2);
        expect(config.secrets.map((s) => s.name)).toEqual(["JWT_SECRET", "SESSION_SECRET", "ENCRYPTION_KEY", "WEBHOOK_ROUTE_TOKEN"]);
        const credentials = Object.entries(config.credentials);
        expect(credentials.map(([key]) => key).sort()).toEqual([...file.secretKeys].sort());
        for (const [, value] of credentials) expect(await pulumi.isSecret(value)).toBe(true);
    });
});

describe("stack config: broken configs name their key", () => {
    it.each(brokenConfigs)("$title → $key", ({ changes, key, secretKeys, given, expected }) => {
        const file = prodWith(changes, secretKeys);
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        const problem = error.problems.find((p) => p.key === key);
        expect(problem, `problems: ${error.message}`).toBeDefined();
        expect(error.message).toContain(key);
        if (given !== undefined) expect(problem?.given).toBe(given);
        // The message is the product: zod's fallback ("Invalid input") for a rule whose wording went missing fails here.
        if (expected !== undefined) expect(problem?.expected).toBe(expected);
        expect(problem?.expected.length).toBeGreaterThan(10);
    });

    it("lists every bad key in one error", () => {
        const file = prodWith({ "vauntico:phase": 9, "github:owner": undefined, "vauntico:secrets": [{ ...secrets[0], bytes: 8 }] });
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        expect(error.problems.map((p) => p.key)).toEqual(expect.arrayContaining(["vauntico:phase", "github:owner", "vauntico:secrets[0].bytes"]));
        expect(error.message).toMatch(/^Invalid stack configuration \(3 problems\)/);
        // One line per problem under the heading; the CLI prints the error by its name and message.
        expect(error.message.split("\n").slice(1)).toEqual(
            error.problems.map((p) => `  - ${p.key}: ${p.given === undefined ? "" : `got ${p.given}; `}${p.expected}`),
        );
        expect(error.name).toBe("StackConfigError");
    });

    it("never shows a credential's value, even when it is plaintext", () => {
        const file = prodWith({ "vauntico:stripeSecretKey": "sk_live_leakedvalue123" }, (keys) => keys.filter((k) => k !== "vauntico:stripeSecretKey"));
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        expect(error.message).toContain("pulumi config set --secret vauntico:stripeSecretKey");
        expect(error.message).not.toContain("sk_live_leakedvalue123");
    });

    it("registers no resource when the config is bad", async () => {
        let registered = 0;
        const file = prodWith({ "vauntico:phase": 0 });
        await expect(
            runPlan({
                stack: "prod",
                stackFile: file,
                mocks: {
                    newResource: (args) => {
                        registered++;
                        return { id: args.name, state: args.inputs };
                    },
                    call: (args) => args.inputs,
                },
            }),
        ).rejects.toThrow(StackConfigError);
        expect(registered).toBe(0);
    });
});

describe("stack config errors never print a value that could be a credential", () => {
    const canaries = {
        stripe: "sk_live_CANARYstripe000000000",
        github: "ghp_CANARYgithub0000000000000000",
        slack: "https://hooks.slack.com/services/T000/B000/CANARYslack",
    };
    const leaks = (text: string): boolean => text.includes("CANARY");

    it.each([
        {
            title: "a mistyped credential key (plaintext, unknown to the schema)",
            changes: { "vauntico:stripeSecretkey": canaries.stripe },
            key: "vauntico:stripeSecretkey",
        },
        { title: "an unknown vauntico key", changes: { "vauntico:githubToken": canaries.github }, key: "vauntico:githubToken" },
        {
            title: "an unknown nested key (strict object)",
            changes: { "vauntico:payments": { ...payments, stripe: { webhookUrl: "https://api.vauntico.com/webhooks/stripe", secretKey: canaries.stripe } } },
            key: "vauntico:payments.stripe",
        },
        {
            title: "an unknown nested key at the top of a setting",
            changes: { "vauntico:mergeProtection": { ...mergeProtection, token: canaries.github } },
            key: "vauntico:mergeProtection",
        },
        { title: "a token pasted into a known string key", changes: { "github:owner": canaries.github }, key: "github:owner" },
        {
            title: "a token pasted into a number",
            changes: { "vauntico:secrets": [{ ...secrets[0], bytes: canaries.github }] },
            key: "vauntico:secrets[0].bytes",
        },
        {
            title: "a Slack webhook URL pasted into a channel",
            changes: {
                "vauntico:monitoring": {
                    ...(prodValue("vauntico:monitoring") as object),
                    alerting: {
                        emails: ["ops@vauntico.com"],
                        slackChannel: canaries.slack,
                        escalation: (prodValue("vauntico:monitoring") as { alerting: { escalation: unknown } }).alerting.escalation,
                    },
                },
            },
            key: "vauntico:monitoring.alerting.slackChannel",
        },
        {
            title: "an object where a string is expected",
            changes: { "vauntico:repository": JSON.stringify({ token: canaries.github }) },
            key: "vauntico:repository",
        },
        {
            title: "a plaintext credential",
            changes: { "github:token": canaries.github },
            secretKeys: (keys: string[]) => keys.filter((k) => k !== "github:token"),
            key: "github:token",
        },
    ])("$title: names $key, shows no canary", ({ changes, secretKeys, key }) => {
        const file = prodWith(changes, secretKeys);
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        expect(
            error.problems.map((p) => p.key),
            error.message,
        ).toContain(key);
        expect(leaks(error.message), error.message).toBe(false);
        expect(leaks(JSON.stringify(error.problems))).toBe(false);
    });

    it("an unknown nested key is named, its value not shown", () => {
        const file = prodWith({ "vauntico:mergeProtection": { ...mergeProtection, token: canaries.github } });
        const problem = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys))).problems.find((p) => p.key === "vauntico:mergeProtection");
        expect(problem?.given).toBeUndefined();
        expect(problem?.expected).toContain('"token"');
        expect(problem?.expected).toContain("values not shown");
    });
});

describe("stack config: a missing credential names its key and the command that sets it", () => {
    const without = (key: string) => prodWith({ [key]: undefined }, (keys) => keys.filter((k) => k !== key));

    it.each([
        "github:token",
        "vauntico:stripeSecretKey",
        "vauntico:paystackSecretKey",
        "grafana:auth",
        "grafana:oncallAccessToken",
        "vauntico:slackWebhookUrl",
        "sentry:token",
    ])("%s", (key) => {
        const file = without(key);
        const problem = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys))).problems.find((p) => p.key === key);
        expect(problem?.expected).toMatch(new RegExp(`^missing; needed by .+: set it with \`pulumi config set --secret ${key} `));
    });

    it("github:token may come from GITHUB_TOKEN, as the github provider reads it; an empty GITHUB_TOKEN does not count", () => {
        const file = without("github:token");
        expect(() => parseStackConfig(file.config, new Set(file.secretKeys), { GITHUB_TOKEN: "ghp_fromEnvironment" })).not.toThrow();
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys), { GITHUB_TOKEN: "" }));
        expect(error.message).toContain(
            "github:token: missing; needed by the github provider (every stack): set it with `pulumi config set --secret github:token ghp_…` (or export GITHUB_TOKEN)",
        );
        // No other credential has a variable standing in for it.
        const stripe = without("vauntico:stripeSecretKey");
        expect(() => parseStackConfig(stripe.config, new Set(stripe.secretKeys), { STRIPE_SECRET_KEY: "sk_test_x", GITHUB_TOKEN: "x" })).toThrow(
            StackConfigError,
        );
    });

    it("a credential no setting needs is not asked for", () => {
        const file = prodWith({ "vauntico:sentry": undefined, "sentry:token": undefined }, (keys) => keys.filter((k) => k !== "sentry:token"));
        expect(() => parseStackConfig(file.config, new Set(file.secretKeys))).not.toThrow();
    });
});

describe("loadStackConfig under the real CLI", () => {
    it("reports a bad config as a pulumi.RunError carrying exactly the problems list (the CLI prints it without a stack trace)", async () => {
        const { loadStackConfig } = await import("../../stacks/config.js");
        const file = prodWith({ "vauntico:phase": 7, "vauntico:stripeSecretkey": "sk_live_CANARYrunerror000000" });
        const expected = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys))).message;
        pulumi.runtime.setAllConfig(file.config, file.secretKeys);
        const previous = process.env["PULUMI_CONFIG_SECRET_KEYS"];
        process.env["PULUMI_CONFIG_SECRET_KEYS"] = JSON.stringify(file.secretKeys);
        try {
            let thrown: unknown;
            try {
                loadStackConfig();
            } catch (error) {
                thrown = error;
            }
            expect(pulumi.RunError.isInstance(thrown)).toBe(true);
            expect(thrown instanceof Error ? thrown.message : "").toBe(expected);
            expect(expected).toMatch(/^Invalid stack configuration \(2 problems\):\n {2}- vauntico:phase: got 7; /);
            expect(expected).not.toContain("CANARY");
        } finally {
            if (previous === undefined) delete process.env["PULUMI_CONFIG_SECRET_KEYS"];
            else process.env["PULUMI_CONFIG_SECRET_KEYS"] = previous;
        }
    });
});
/** The keys (with paths) a changed prod config is refused for; empty when it is accepted. */
function refusedKeys(changes: Record<string, unknown>, secretKeys?: (keys: string[]) => string[]): string[] {
    const file = prodWith(changes, secretKeys);
    try {
        parseStackConfig(file.config, new Set(file.secretKeys));
        return [];
    } catch (error) {
        if (error instanceof StackConfigError) return error.problems.map((p) => p.key);
        throw error;
    }
}

const stripePayments = { mode: "test", stripe: { webhookUrl: "https://api.vauntico.com/webhooks/stripe" } };
const sentry = prodValue("vauntico:sentry");
if (typeof sentry !== "object" || sentry === null) throw new Error("prod stack shape changed");

function problemAt(changes: Record<string, unknown>, key: string): { given?: string; expected: string; message: string } {
    const file = prodWith(changes);
    const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
    const problem = error.problems.find((p) => p.key === key);
    if (!problem) throw new Error(`no problem at ${key}: ${error.message}`);
    return { ...problem, message: error.message };
}

function accepted(changes: Record<string, unknown>): boolean {
    const file = prodWith(changes);
    try {
        parseStackConfig(file.config, new Set(file.secretKeys));
        return true;
    } catch (error) {
        if (error instanceof StackConfigError) return false;
        throw error;
    }
}

const monitoring = prodValue("vauntico:monitoring");
if (!isRecord(payments) || !isRecord(monitoring) || !isRecord(monitoring["alerting"])) {
    throw new Error("prod stack shape changed");
}
const alerting = monitoring["alerting"];
const escalation = alerting["escalation"];
const withAlerting = (change: Record<string, unknown>) => ({ "vauntico:monitoring": { ...monitoring, alerting: { ...alerting, ...change } } });
const withThreshold = (name: string, value: number) => withAlerting({ thresholds: { [name]: value } });
const withEscalation = (change: Record<string, unknown>) => withAlerting({ escalation: { ...(isRecord(escalation) ? escalation : {}), ...change } });

/** Each numeric bound of the config at its edge: the value, and whether it is accepted. */
const boundaries: { title: string; key: string; cases: [unknown, Record<string, unknown>, boolean][] }[] = [
    {
        title: "secret bytes 32–1024",
        key: "vauntico:secrets[0].bytes",
        cases: [31, 32, 33, 1023, 1024, 1025].map((bytes) => [bytes, { "vauntico:secrets": [{ ...secrets[0], bytes }] }, bytes >= 32 && bytes <= 1024]),
    },
    {
        title: "secret rotation ≥ 1",
        key: "vauntico:secrets[0].rotation",
        cases: [0, 1, 2].map((rotation) => [rotation, { "vauntico:secrets": [{ ...secrets[0], rotation }] }, rotation >= 1]),
    },
    {
        title: "phase 1–5",
        key: "vauntico:phase",
        cases: [0, 1, 2, 4, 5, 6].map((phase) => [phase, { "vauntico:phase": phase }, phase >= 1 && phase <= 5]),
    },
    {
        title: "approvals 1–6",
        key: "vauntico:mergeProtection.requiredApprovals",
        cases: [0, 1, 2, 5, 6, 7, 1.5].map((n) => [
            n,
            { "vauntico:mergeProtection": { ...mergeProtection, requiredApprovals: n } },
            n >= 1 && n <= 6 && Number.isInteger(n),
        ]),
    },
    {
        title: "reviewers 1–6",
        key: "vauntico:environment.reviewers",
        cases: [0, 1, 2, 5, 6, 7].map((n) => [
            n,
            { "vauntico:environment": { ...environment, reviewers: { teams: [], users: Array.from({ length: n }, (_, i) => `user${i}`) } } },
            n >= 1 && n <= 6,
        ]),
    },
    {
        title: "ratio thresholds strictly between 0 and 1",
        key: "vauntico:monitoring.alerting.thresholds.paymentFailureRatio",
        cases: [0, 0.001, 0.5, 0.999, 1].map((ratio) => [ratio, withThreshold("paymentFailureRatio", ratio), ratio > 0 && ratio < 1]),
    },
    {
        title: "signature-failure threshold ≥ 0",
        key: "vauntico:monitoring.alerting.thresholds.signatureVerificationFailure",
        cases: [-1, 0, 1].map((n) => [n, withThreshold("signatureVerificationFailure", n), n >= 0]),
    },
    {
        title: "no-successful-payment hours 1–168",
        key: "vauntico:monitoring.alerting.thresholds.noSuccessfulPaymentHours",
        cases: [0, 1, 2, 167, 168, 169].map((n) => [n, withThreshold("noSuccessfulPaymentHours", n), n >= 1 && n <= 168]),
    },
    {
        title: "evaluation interval 10–3600 s",
        key: "vauntico:monitoring.alerting.evaluationIntervalSeconds",
        cases: [9, 10, 11, 3599, 3600, 3601].map((n) => [n, withAlerting({ evaluationIntervalSeconds: n }), n >= 10 && n <= 3600]),
    },
    {
        title: "incident after 1–1440 minutes",
        key: "vauntico:monitoring.alerting.escalation.incidentAfterMinutes",
        cases: [0, 1, 2, 1439, 1440, 1441].map((n) => [n, withEscalation({ incidentAfterMinutes: n }), n >= 1 && n <= 1440]),
    },
];

describe("stack config: every bound at its edge (N−1, N, N+1)", () => {
    for (const { title, key, cases } of boundaries) {
        it.each(cases)(`${title}: %s`, (_value, changes, accepted) => {
            const refused = refusedKeys(changes);
            if (accepted) expect(refused).toEqual([]);
            else expect(refused).toContain(key);
        });
    }
});

describe("stack config: each condition of a rule alone", () => {
    const stripeKey = (value: string) => ({ "vauntico:stripeSecretKey": value });
    const paystackKey = (value: string) => ({ "vauntico:paystackSecretKey": value });
    const mode = (m: string) => ({ "vauntico:payments": { ...payments, mode: m } });

    it("a payment key must match the payment mode, for each processor and each mode", () => {
        expect(refusedKeys({ ...mode("test"), ...stripeKey("sk_test_x"), ...paystackKey("sk_test_x") })).toEqual([]);
        expect(refusedKeys({ ...mode("live"), ...stripeKey("sk_live_x"), ...paystackKey("sk_live_x") })).toEqual([]);
        expect(refusedKeys({ ...mode("test"), ...stripeKey("rk_live_x"), ...paystackKey("sk_test_x") })).toEqual(["vauntico:stripeSecretKey"]);
        expect(refusedKeys({ ...mode("test"), ...stripeKey("sk_test_x"), ...paystackKey("sk_live_x") })).toEqual(["vauntico:paystackSecretKey"]);
        expect(refusedKeys({ ...mode("live"), ...stripeKey("sk_test_x"), ...paystackKey("sk_live_x") })).toEqual(["vauntico:stripeSecretKey"]);
        expect(refusedKeys({ ...mode("live"), ...stripeKey("sk_live_x"), ...paystackKey("sk_test_x") })).toEqual(["vauntico:paystackSecretKey"]);
    });

    it("a key's mode is read from its prefix only (anchored), and Paystack has no restricted keys", () => {
        expect(refusedKeys({ ...mode("live"), ...stripeKey("xsk_test_x"), ...paystackKey("sk_live_x") })).not.toContain("vauntico:stripeSecretKey");
        expect(refusedKeys({ ...mode("live"), ...stripeKey("sk_live_x"), ...paystackKey("rk_test_x") })).not.toContain("vauntico:paystackSecretKey");
        expect(refusedKeys({ ...mode("live"), ...stripeKey("sk_live_x"), ...paystackKey("xsk_test_x") })).not.toContain("vauntico:paystackSecretKey");
    });

    it("a configured processor needs its own key: Stripe alone, Paystack alone", () => {
        const none = (key: string) => (keys: string[]) => keys.filter((k) => k !== key);
        expect(refusedKeys({ "vauntico:stripeSecretKey": undefined }, none("vauntico:stripeSecretKey"))).toEqual(["vauntico:stripeSecretKey"]);
        expect(refusedKeys({ "vauntico:paystackSecretKey": undefined }, none("vauntico:paystackSecretKey"))).toEqual(["vauntico:paystackSecretKey"]);
        expect(
            refusedKeys(
                { "vauntico:payments": { mode: "test", paystack: payments["paystack"] }, "vauntico:stripeSecretKey": undefined },
                none("vauntico:stripeSecretKey"),
            ),
        ).toEqual([]);
        expect(
            refusedKeys(
                { "vauntico:payments": { mode: "test", stripe: payments["stripe"] }, "vauntico:paystackSecretKey": undefined },
                none("vauntico:paystackSecretKey"),
            ),
        ).toEqual([]);
    });

    it("monitoring needs the Grafana URL and the Slack webhook, each on its own", () => {
        const none = (key: string) => (keys: string[]) => keys.filter((k) => k !== key);
        expect(refusedKeys({ "grafana:url": undefined })).toEqual(["grafana:url"]);
        expect(refusedKeys({ "vauntico:slackWebhookUrl": undefined }, none("vauntico:slackWebhookUrl"))).toEqual(["vauntico:slackWebhookUrl"]);
        expect(
            refusedKeys(
                { "vauntico:monitoring": undefined, "grafana:url": undefined, "vauntico:slackWebhookUrl": undefined },
                none("vauntico:slackWebhookUrl"),
            ),
        ).toEqual([]);
    });

    it("a credential must be a secret and must not be empty", () => {
        expect(refusedKeys({ "sentry:token": "" })).toEqual(["sentry:token"]);
        expect(refusedKeys({ "sentry:token": "x" })).toEqual([]);
    });

    it("a team lead must be a member; logins repeat neither within a team nor across teams (case-insensitively)", () => {
        const withTeams = (k: Record<string, unknown>, c: Record<string, unknown> = cline) => ({ "vauntico:teams": { Kilo: { ...kilo, ...k }, Cline: c } });
        expect(refusedKeys(withTeams({ lead: "KILO-DEV-LEAD" }))).toEqual([]);
        expect(refusedKeys(withTeams({ lead: "someone-else" }))).toEqual(["vauntico:teams.Kilo.lead"]);
        expect(refusedKeys(withTeams({ members: ["kilo-dev-lead", "Kilo-Dev-Lead"] }))).toEqual(["vauntico:teams.Kilo.members[1]"]);
        expect(refusedKeys(withTeams({}, { ...cline, members: ["cline-ops-lead", "KILO-DEV-ENGINEER"] }))).toEqual(["vauntico:teams.Cline.members[1]"]);
    });

    it("an unknown key is refused in the vauntico namespace only, its value never shown (secret or not)", () => {
        expect(refusedKeys({ "aws:region": "eu-west-1" })).toEqual([]);
        for (const secret of [true, false]) {
            const file = prodWith({ "vauntico:apiKey": "sk_live_canary" }, (keys) => (secret ? [...keys, "vauntico:apiKey"] : keys));
            const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
            expect(error.problems).toEqual([
                expect.objectContaining({ key: "vauntico:apiKey", expected: expect.stringContaining("unknown key (its value is not shown)") }),
            ]);
            expect(error.problems[0]?.given).toBeUndefined();
            expect(error.message).not.toContain("sk_live_canary");
        }
    });

    it("counts its problems in the heading: one problem, singular", () => {
        const file = prodWith({ "vauntico:phase": 9 });
        expect(problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys))).message).toMatch(
            /^Invalid stack configuration \(1 problem\):\n {2}- vauntico:phase: got 9; /,
        );
    });
});

describe("stack config: what the parsed config carries", () => {
    it("each optional section when present, and none when absent", () => {
        const file = prodStackFile();
        const full = parseStackConfig({ ...file.config, "sentry:baseUrl": "https://sentry.example.com/" }, new Set(file.secretKeys));
        expect(full.environment).toMatchObject({ name: "production" });
        expect(full.payments?.mode).toBe("test");
        expect(full.monitoring?.grafana.datasourceUid).toBe("prometheus");
        expect(full.sentry?.organization).toBe("vauntico");
        expect(full.teams?.Kilo.lead).toBe("kilo-dev-lead");
        expect(full.executives).toEqual(["vauntico-cto"]);
        expect(full.providers).toEqual({ grafanaUrl: "https://vauntico.grafana.net", sentryBaseUrl: "https://sentry.example.com/" });
        const bare = prodWith({
            "vauntico:payments": undefined,
            "vauntico:monitoring": undefined,
            "vauntico:sentry": undefined,
            "vauntico:executives": undefined,
            "grafana:url": undefined,
            "vauntico:stripeSecretKey": undefined,
            "vauntico:paystackSecretKey": undefined,
        });
        const minimal = parseStackConfig(bare.config, new Set(bare.secretKeys));
        for (const key of ["payments", "monitoring", "sentry", "executives"]) expect(minimal, key).not.toHaveProperty(key);
        expect(minimal.providers).toEqual({});
    });

    it("reads plain-string keys as strings, not as JSON", () => {
        const file = prodWith({ "vauntico:repository": "1234" });
        expect(parseStackConfig(file.config, new Set(file.secretKeys)).github.repository).toBe("1234");
    });

    it("shows a long given value cut to 80 characters", () => {
        const long = "x".repeat(200);
        const file = prodWith({ "vauntico:phase": long });
        const problem = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys))).problems.find((p) => p.key === "vauntico:phase");
        expect(problem?.given).toBe(`"${"x".repeat(75)}..."`);
        expect(problem?.given).toHaveLength(80);
    });
});

describe("configSecretKeys: the secret keys the CLI hands the program", () => {
    it("reads PULUMI_CONFIG_SECRET_KEYS, in either key form, ignoring what is not a string", () => {
        expect(configSecretKeys({ PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["github:token", "vauntico:config:stripeSecretKey", 7]) })).toEqual(
            new Set(["github:token", "vauntico:stripeSecretKey"]),
        );
        expect(configSecretKeys({ PULUMI_CONFIG_SECRET_KEYS: JSON.stringify({ key: "github:token" }) })).toEqual(new Set());
        expect(configSecretKeys({ PULUMI_CONFIG_SECRET_KEYS: "" })).toEqual(new Set());
        expect(configSecretKeys({})).toEqual(new Set());
    });
});

describe("stack config: URLs carry no credential, webhooks reach a public host", () => {
    const canary = "Canary-P4ssw0rd";
    it.each([
        [
            "vauntico:payments.stripe.webhookUrl",
            { "vauntico:payments": { ...payments, stripe: { webhookUrl: `https://hook:${canary}@api.vauntico.com/webhooks/stripe` } } },
            '"https://api.vauntico.com/webhooks/stripe"',
        ],
        [
            "vauntico:payments.paystack.webhookUrl",
            { "vauntico:payments": { ...payments, paystack: { webhookUrl: `https://:${canary}@api.vauntico.com/webhooks/paystack` } } },
            '"https://api.vauntico.com/webhooks/paystack"',
        ],
        ["grafana:url", { "grafana:url": `https://admin:${canary}@vauntico.grafana.net` }, '"https://vauntico.grafana.net/"'],
        ["sentry:baseUrl", { "sentry:baseUrl": `https://admin:${canary}@sentry.vauntico.com/` }, '"https://sentry.vauntico.com/"'],
        [
            "vauntico:environment.variables.DATABASE_URL",
            { "vauntico:environment": { ...environment, variables: { DATABASE_URL: `postgres://app:${canary}@db.vauntico.com/app` } } },
            '"postgres://db.vauntico.com/app"',
        ],
    ])("%s: userinfo refused, the URL shown without it", (key, changes, shown) => {
        const problem = problemAt(changes, key);
        expect(problem.expected).toMatch(/user name or password/);
        expect(problem.given).toBe(shown);
        expect(problem.message).not.toContain(canary);
    });

    it.each([
        ["loopback", "https://127.0.0.1/webhooks/stripe", /loopback/],
        ["private (RFC 1918)", "https://192.168.1.10/webhooks/stripe", /RFC 1918/],
        ["CGNAT", "https://100.64.0.1/webhooks/stripe", /carrier-grade NAT/],
        ["link-local", "https://169.254.1.1/webhooks/stripe", /link-local/],
        ["metadata", "https://169.254.169.254/latest", /metadata/],
        ["IPv6 metadata", "https://[fd00:ec2::254]/latest", /metadata/],
        ["GCE metadata", "https://metadata.google.internal/computeMetadata", /metadata/],
        ["ULA", "https://[fd12::1]/webhooks/stripe", /unique local/],
        ["IPv4-mapped", "https://[::ffff:10.0.0.1]/webhooks/stripe", /IPv4-mapped/],
        ["unspecified", "https://0.0.0.0/webhooks/stripe", /unspecified/],
        ["localhost", "https://localhost/webhooks/stripe", /loopback name/],
        ["*.localhost", "https://api.localhost/webhooks/stripe", /loopback name/],
        ["a fragment", "https://api.vauntico.com/webhooks/stripe#v1", /fragment/],
        ["http", "http://api.vauntico.com/webhooks/stripe", /uses http:/],
    ])("the Stripe webhook URL refuses %s, naming the key and the URL", (_title, url, reason) => {
        const problem = problemAt({ "vauntico:payments": { ...payments, stripe: { webhookUrl: url } } }, "vauntico:payments.stripe.webhookUrl");
        expect(problem.expected).toMatch(reason);
        expect(problem.given).toBe(JSON.stringify(url));
    });

    it("the Paystack webhook URL follows the same rule", () => {
        expect(
            problemAt({ "vauntico:payments": { ...payments, paystack: { webhookUrl: "https://10.1.2.3/paystack" } } }, "vauntico:payments.paystack.webhookUrl")
                .expected,
        ).toMatch(/RFC 1918/);
    });

    it("Grafana and Sentry may be self-hosted on a private network; variables may hold URLs without credentials", () => {
        expect(accepted({ "grafana:url": "https://grafana.internal", "sentry:baseUrl": "https://10.0.0.8/" })).toBe(true);
        expect(
            accepted({ "vauntico:environment": { ...environment, variables: { APP_URL: "https://app.vauntico.com", NOTE: "user:pw@ is not a URL here" } } }),
        ).toBe(true);
    });
});

describe("stack config: GitHub's per-environment limits", () => {
    const generated = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `SECRET_${i}`, bytes: 32, encoding: "hex" }));
    // The prod stack also delivers STRIPE_WEBHOOK_SECRET, STRIPE_SECRET_KEY, PAYSTACK_SECRET_KEY and one DSN per Sentry project (2).
    const deliveredByComponents = 5;

    it("counts the secrets the components deliver: 100 in all is accepted, 101 is refused naming vauntico:secrets", () => {
        expect(accepted({ "vauntico:secrets": generated(100 - deliveredByComponents) })).toBe(true);
        const problem = problemAt({ "vauntico:secrets": generated(101 - deliveredByComponents) }, "vauntico:secrets");
        expect(problem.given).toBe("101 environment secrets");
        expect(problem.expected).toContain(`${101 - deliveredByComponents} generated and ${deliveredByComponents} from vauntico:payments and vauntico:sentry`);
    });

    it("counts exactly the secrets the program delivers (one source: the components' own lists)", async () => {
        const plan = await runPlan({ stack: "prod", stackFile: prodStackFile(), serializeDynamicProviders: false });
        const registered = plan.resources
            .filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret")
            .map((r) => String(r.inputs["secretName"]));
        expect(registered).toHaveLength(secrets.length + deliveredByComponents);
        expect(
            deliveredEnvironmentSecrets(plan.stackConfig)
                .map((s) => s.name)
                .sort(),
        ).toEqual(registered.sort());
    });

    it("each delivering section counts on its own", () => {
        const base = generated(100 - deliveredByComponents + 1);
        expect(accepted({ "vauntico:secrets": base, "vauntico:sentry": { ...sentry, projects: [{ slug: "backend", platform: "node" }] } })).toBe(true);
        expect(accepted({ "vauntico:secrets": base, "vauntico:payments": { ...payments, paystack: undefined } })).toBe(true);
        expect(accepted({ "vauntico:secrets": generated(100 - deliveredByComponents + 2), "vauntico:payments": { ...payments, paystack: undefined } })).toBe(
            false,
        );
    });

    it("a generated secret may not take a name a component delivers", () => {
        const problem = problemAt(
            { "vauntico:secrets": [...secrets, { name: "STRIPE_SECRET_KEY", bytes: 32, encoding: "hex" }] },
            `vauntico:secrets[${secrets.length}].name`,
        );
        expect(problem.expected).toContain("vauntico:payments.stripe also delivers STRIPE_SECRET_KEY");
        const dsn = problemAt(
            { "vauntico:secrets": [...secrets, { name: "SENTRY_DSN_BACKEND", bytes: 32, encoding: "hex" }] },
            `vauntico:secrets[${secrets.length}].name`,
        );
        expect(dsn.expected).toContain("vauntico:sentry.projects[1].slug also delivers SENTRY_DSN_BACKEND");
    });

    it("two Sentry projects whose DSN secrets would share a name are refused", () => {
        const problem = problemAt(
            {
                "vauntico:sentry": {
                    ...sentry,
                    projects: [
                        { slug: "web-app", platform: "node" },
                        { slug: "web_app", platform: "node" },
                    ],
                },
            },
            "vauntico:sentry.projects[0].slug",
        );
        expect(problem.expected).toContain("vauntico:sentry.projects[1].slug also delivers SENTRY_DSN_WEB_APP");
    });

    it("100 variables are accepted, 101 refused", () => {
        const variables = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`VARIABLE_${i}`, "x"]));
        expect(accepted({ "vauntico:environment": { ...environment, variables: variables(100) } })).toBe(true);
        expect(problemAt({ "vauntico:environment": { ...environment, variables: variables(101) } }, "vauntico:environment.variables").expected).toContain(
            "at most 100 variables",
        );
    });

    it("a variable value of 48 KB is accepted, one byte more refused, counted in UTF-8 bytes", () => {
        const limit = 48 * 1024;
        expect(accepted({ "vauntico:environment": { ...environment, variables: { BIG: "a".repeat(limit) } } })).toBe(true);
        const problem = problemAt(
            { "vauntico:environment": { ...environment, variables: { BIG: "a".repeat(limit + 1) } } },
            "vauntico:environment.variables.BIG",
        );
        expect(problem.given).toBe(JSON.stringify(`${limit + 1} bytes`));
        expect(problem.expected).toContain("48 KB");
        expect(accepted({ "vauntico:environment": { ...environment, variables: { BIG: "é".repeat(limit / 2) } } })).toBe(true);
        expect(accepted({ "vauntico:environment": { ...environment, variables: { BIG: `${"é".repeat(limit / 2)}a` } } })).toBe(false);
    });

    it("a delivered payment key of 48 KB is accepted, one byte more refused without showing it", () => {
        const key = (length: number) => `sk_test_${"k".repeat(length - "sk_test_".length)}`;
        expect(accepted({ "vauntico:stripeSecretKey": key(48 * 1024) })).toBe(true);
        const problem = problemAt({ "vauntico:stripeSecretKey": key(48 * 1024 + 1) }, "vauntico:stripeSecretKey");
        expect(problem.expected).toContain("GitHub limits to 49152 bytes (48 KB); this one is 49153");
        expect(problem.message).not.toContain("kkkkkkkk");
        expect(problem.given).toBeUndefined();
    });

    it("reviewers repeated case-insensitively are refused, naming the repeat", () => {
        const users = problemAt(
            { "vauntico:environment": { ...environment, reviewers: { users: ["cline-ops-lead", "Cline-Ops-Lead"] } } },
            "vauntico:environment.reviewers.users[1]",
        );
        expect(users.expected).toContain("repeats users[0]");
        const teams = problemAt(
            { "vauntico:environment": { ...environment, reviewers: { teams: ["release-managers", "release-managers"] } } },
            "vauntico:environment.reviewers.teams[1]",
        );
        expect(teams.expected).toContain("repeats teams[0]");
        expect(accepted({ "vauntico:environment": { ...environment, reviewers: { teams: ["ops"], users: ["ops"] } } })).toBe(true);
    });

    it("6 reviewers are accepted, 7 refused", () => {
        const users = (count: number) => Array.from({ length: count }, (_, i) => `reviewer-${i}`);
        expect(accepted({ "vauntico:environment": { ...environment, reviewers: { users: users(6) } } })).toBe(true);
        expect(problemAt({ "vauntico:environment": { ...environment, reviewers: { users: users(7) } } }, "vauntico:environment.reviewers").expected).toContain(
            "at most 6",
        );
    });

    it("a Stripe event listed twice is refused at its index", () => {
        const events = ["payment_intent.succeeded", "charge.refunded", "payment_intent.succeeded"];
        const problem = problemAt({ "vauntico:payments": { ...payments, stripe: { ...stripePayments.stripe, events } } }, "vauntico:payments.stripe.events[2]");
        expect(problem.expected).toContain("listed twice (also at index 0)");
        expect(accepted({ "vauntico:payments": { ...payments, stripe: { ...stripePayments.stripe, events: events.slice(0, 2) } } })).toBe(true);
    });
});

describe("stack config: the components' rules, not copies", () => {
    it("Sentry slugs: 50 characters accepted, 51 refused (the component's limit)", () => {
        expect(accepted({ "vauntico:sentry": { ...sentry, organization: "a".repeat(50) } })).toBe(true);
        expect(problemAt({ "vauntico:sentry": { ...sentry, organization: "a".repeat(51) } }, "vauntico:sentry.organization").expected).toContain("at most 50");
        expect(
            problemAt({ "vauntico:sentry": { ...sentry, projects: [{ slug: "b".repeat(51), platform: "node" }] } }, "vauntico:sentry.projects[0].slug")
                .expected,
        ).toContain("Sentry project slug");
    });

    it("escalation to an incident: 1 and 1440 minutes accepted, 0 and 1441 refused (OnCall's wait limits)", () => {
        const monitoring = prodValue("vauntico:monitoring");
        if (typeof monitoring !== "object" || monitoring === null || !("alerting" in monitoring)) throw new Error("prod stack shape changed");
        const alerting = monitoring.alerting;
        if (typeof alerting !== "object" || alerting === null || !("escalation" in alerting)) throw new Error("prod stack shape changed");
        const escalation = alerting.escalation;
        if (typeof escalation !== "object" || escalation === null) throw new Error("prod stack shape changed");
        const withIncidentAfter = (incidentAfterMinutes: number) => ({
            "vauntico:monitoring": { ...monitoring, alerting: { ...alerting, escalation: { ...escalation, incidentAfterMinutes } } },
        });
        expect(accepted(withIncidentAfter(1))).toBe(true);
        expect(accepted(withIncidentAfter(1440))).toBe(true);
        expect(problemAt(withIncidentAfter(0), "vauntico:monitoring.alerting.escalation.incidentAfterMinutes").expected).toContain("at least 1 minute");
        expect(problemAt(withIncidentAfter(1441), "vauntico:monitoring.alerting.escalation.incidentAfterMinutes").expected).toContain("at most 1440 minutes");
    });

    it("secret sizes: 32 and 1024 bytes accepted, 31 and 1025 refused", () => {
        const sized = (bytes: number) => ({ "vauntico:secrets": [{ ...secrets[0], bytes }] });
        expect(accepted(sized(32))).toBe(true);
        expect(accepted(sized(1024))).toBe(true);
        expect(problemAt(sized(31), "vauntico:secrets[0].bytes").expected).toContain("at least 32 bytes");
        expect(problemAt(sized(1025), "vauntico:secrets[0].bytes").expected).toContain("at most 1024 bytes");
    });

    it("the payment-key mode comes from the components' key rules (Stripe restricted keys included)", () => {
        const withKey = (key: string, value: string) => {
            const file = prodWith({ [key]: value });
            return () => parseStackConfig(file.config, new Set(file.secretKeys));
        };
        expect(problemsOf(withKey("vauntico:stripeSecretKey", "rk_live_abc123")).problems.map((p) => p.key)).toContain("vauntico:stripeSecretKey");
        expect(problemsOf(withKey("vauntico:paystackSecretKey", "sk_live_abc123")).problems.map((p) => p.key)).toContain("vauntico:paystackSecretKey");
        // Paystack has no restricted keys: rk_live_ is not a Paystack key, so it is left to the component.
        expect(withKey("vauntico:paystackSecretKey", "rk_live_abc123")).not.toThrow();
    });
});

describe("stack config: the words of the cross-key problems", () => {
    it("an unknown vauntico key lists the known vauntico keys, and only those", () => {
        const file = prodWith({ "vauntico:phse": 2 });
        const problem = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys))).problems.find((p) => p.key === "vauntico:phse");
        const known = problem?.expected.split("known vauntico keys: ")[1]?.split(", ") ?? [];
        expect(known).toContain("vauntico:phase");
        expect(known).toContain("vauntico:stripeSecretKey");
        expect(known.every((key) => key.startsWith("vauntico:"))).toBe(true);
        expect(known).not.toContain("vauntico:phse");
    });

    it("a payment key of the other mode says which mode it is and how to fix it, never the key", () => {
        const problem = problemAt({ "vauntico:stripeSecretKey": "sk_live_CANARYmode0000" }, "vauntico:stripeSecretKey");
        expect(problem.expected).toBe(
            'a live-mode key is set but vauntico:payments.mode is "test"; use a test-mode key, or set the mode to "live" (live only at phase 5) — the key itself is not shown',
        );
        expect(problem.given).toBeUndefined();
        expect(problem.message).not.toContain("CANARY");
    });

    it("too many environment secrets: how many to remove", () => {
        const generated = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `SECRET_${i}`, bytes: 32, encoding: "hex" }));
        expect(problemAt({ "vauntico:secrets": generated(98) }, "vauntico:secrets").expected).toBe(
            "GitHub allows at most 100 secrets per environment; the stack delivers 98 generated and 5 from vauntico:payments and vauntico:sentry — remove 3",
        );
    });

    it("a name delivered twice: the generated secret is renamed, two components' names are told apart", () => {
        const generated = problemAt(
            { "vauntico:secrets": [...(Array.isArray(secrets) ? secrets : []), { name: "PAYSTACK_SECRET_KEY", bytes: 32, encoding: "hex" }] },
            `vauntico:secrets[${Array.isArray(secrets) ? secrets.length : 0}].name`,
        );
        expect(generated.given).toBe('"PAYSTACK_SECRET_KEY"');
        expect(generated.expected).toBe("vauntico:payments.paystack also delivers PAYSTACK_SECRET_KEY to the environment; rename the generated secret");
        const sentryProjects = problemAt(
            {
                "vauntico:sentry": {
                    ...sentry,
                    projects: [
                        { slug: "web-app", platform: "node" },
                        { slug: "web_app", platform: "node" },
                    ],
                },
            },
            "vauntico:sentry.projects[0].slug",
        );
        expect(sentryProjects.expected).toBe(
            "vauntico:sentry.projects[1].slug also delivers SENTRY_DSN_WEB_APP to the environment; give one of them another name",
        );
    });

    it("monitoring without the Grafana URL names what to set", () => {
        expect(problemAt({ "grafana:url": undefined }, "grafana:url").expected).toBe(
            "missing; required when vauntico:monitoring is set (your Grafana URL, https://…)",
        );
    });

    it("a field missing inside a present key is named by its path, not as a missing key", () => {
        const problem = problemAt({ "vauntico:mergeProtection": { ...mergeProtection, requiredChecks: undefined } }, "vauntico:mergeProtection.requiredChecks");
        expect(problem.expected.startsWith("missing;")).toBe(false);
        expect(problem.given).toBe("nothing");
    });
});

describe("stack config: the waiver mirror", () => {
    const waiver = {
        id: "w-1",
        kind: "waiver",
        by: "kilo-dev-lead",
        at: "2026-12-02T07:00:00Z",
        gate: "p3-payments-dashboard",
        resource: "stack",
        reason: "dashboard lands next sprint",
        expires: "2026-12-20T00:00:00Z",
    };

    it("carries each valid waiver; none when the key is absent", () => {
        const file = prodWith({ "vauntico:waivers": [waiver] });
        expect(parseStackConfig(file.config, new Set(file.secretKeys)).waivers).toEqual([
            expect.objectContaining({ id: "w-1", kind: "waiver", gate: "p3-payments-dashboard" }),
        ]);
        const bare = prodWith({ "vauntico:waivers": undefined });
        expect(parseStackConfig(bare.config, new Set(bare.secretKeys)).waivers).toEqual([]);
    });

    it("an entry that is not a waiver is a problem named by entry and field", () => {
        const problem = problemAt({ "vauntico:waivers": [{ ...waiver, kind: "signoff" }] }, "vauntico:waivers[w-1].kind");
        expect(problem.expected.length).toBeGreaterThan(10);
    });
});
