import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runPlan } from "../../cli/plan/index.js";
import { StackConfigError, configSecretKeys, parseStackConfig } from "../../stacks/config.js";
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
    return typeof value === "object" && value !== null && "Kilo" in value && "Cline" in value && typeof value.Kilo === "object" && typeof value.Cline === "object";
}

const secrets = prodValue("vauntico:secrets");
const environment = prodValue("vauntico:environment");
const mergeProtection = prodValue("vauntico:mergeProtection");
const payments = prodValue("vauntico:payments");
const teams = prodValue("vauntico:teams");
if (!Array.isArray(secrets) || typeof environment !== "object" || typeof mergeProtection !== "object" || typeof payments !== "object" || !isTeams(teams)) {
    throw new Error("prod stack shape changed");
}

/** Broken configs: the change, and the key (with path) the error must name. */
const brokenConfigs: { title: string; changes: Record<string, unknown>; key: string; secretKeys?: (keys: string[]) => string[]; given?: string }[] = [
    { title: "phase missing", changes: { "vauntico:phase": undefined }, key: "vauntico:phase" },
    { title: "phase out of range", changes: { "vauntico:phase": 6 }, key: "vauntico:phase", given: "6" },
    { title: "phase of the wrong type", changes: { "vauntico:phase": "one" }, key: "vauntico:phase", given: "\"one\"" },
    { title: "github:owner missing", changes: { "github:owner": undefined }, key: "github:owner" },
    { title: "repository with a slash", changes: { "vauntico:repository": "vauntico/vauntico-mvp" }, key: "vauntico:repository" },
    { title: "secret shorter than 32 bytes", changes: { "vauntico:secrets": [{ ...secrets[0], bytes: 16 }] }, key: "vauntico:secrets[0].bytes", given: "16" },
    { title: "duplicate secret name", changes: { "vauntico:secrets": [secrets[0], secrets[0]] }, key: "vauntico:secrets[1].name" },
    { title: "unknown secret encoding", changes: { "vauntico:secrets": [{ ...secrets[0], encoding: "base32" }] }, key: "vauntico:secrets[0].encoding", given: "\"base32\"" },
    { title: "lower-case secret name", changes: { "vauntico:secrets": [{ ...secrets[0], name: "jwt" }] }, key: "vauntico:secrets[0].name" },
    { title: "secret set not a list", changes: { "vauntico:secrets": { name: "JWT" } }, key: "vauntico:secrets" },
    { title: "malformed reviewer login", changes: { "vauntico:environment": { ...environment, reviewers: { users: ["not a login!"] } } }, key: "vauntico:environment.reviewers.users[0]" },
    { title: "no reviewers", changes: { "vauntico:environment": { ...environment, reviewers: { teams: [], users: [] } } }, key: "vauntico:environment.reviewers" },
    { title: "zero approvals", changes: { "vauntico:mergeProtection": { ...mergeProtection, requiredApprovals: 0 } }, key: "vauntico:mergeProtection.requiredApprovals", given: "0" },
    { title: "no required checks", changes: { "vauntico:mergeProtection": { ...mergeProtection, requiredChecks: [] } }, key: "vauntico:mergeProtection.requiredChecks" },
    { title: "typo in a protection field", changes: { "vauntico:mergeProtection": { ...mergeProtection, requiredAprovals: 2 } }, key: "vauntico:mergeProtection" },
    { title: "plaintext Stripe key", changes: {}, secretKeys: (keys) => keys.filter((k) => k !== "vauntico:stripeSecretKey"), key: "vauntico:stripeSecretKey" },
    { title: "plaintext GitHub token", changes: {}, secretKeys: (keys) => keys.filter((k) => k !== "github:token"), key: "github:token" },
    { title: "http webhook URL", changes: { "vauntico:payments": { ...payments, stripe: { webhookUrl: "http://api.vauntico.com/webhooks/stripe" } } }, key: "vauntico:payments.stripe.webhookUrl" },
    { title: "unknown payment mode", changes: { "vauntico:payments": { ...payments, mode: "production" } }, key: "vauntico:payments.mode", given: "\"production\"" },
    { title: "Stripe configured without its key", changes: { "vauntico:stripeSecretKey": undefined }, secretKeys: (keys) => keys.filter((k) => k !== "vauntico:stripeSecretKey"), key: "vauntico:stripeSecretKey" },
    { title: "misspelt vauntico key", changes: { "vauntico:phse": 2 }, key: "vauntico:phse" },
    { title: "both teams with one GitHub team slug", changes: { "vauntico:teams": { ...teams, Cline: { ...teams.Cline, slug: teams.Kilo["slug"] } } }, key: "vauntico:teams.Cline.slug", given: "\"kilo-dev\"" },
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
    it.each(brokenConfigs)("$title → $key", ({ changes, key, secretKeys, given }) => {
        const file = prodWith(changes, secretKeys);
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        const problem = error.problems.find((p) => p.key === key);
        expect(problem, `problems: ${error.message}`).toBeDefined();
        expect(error.message).toContain(key);
        if (given !== undefined) expect(problem?.given).toBe(given);
        expect(problem?.expected.length).toBeGreaterThan(10);
    });

    it("lists every bad key in one error", () => {
        const file = prodWith({ "vauntico:phase": 9, "github:owner": undefined, "vauntico:secrets": [{ ...secrets[0], bytes: 8 }] });
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        expect(error.problems.map((p) => p.key)).toEqual(expect.arrayContaining(["vauntico:phase", "github:owner", "vauntico:secrets[0].bytes"]));
        expect(error.message).toMatch(/^Invalid stack configuration \(3 problems\)/);
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
        await expect(runPlan({
            stack: "prod",
            stackFile: file,
            mocks: {
                newResource: (args) => { registered++; return { id: args.name, state: args.inputs }; },
                call: (args) => args.inputs,
            },
        })).rejects.toThrow(StackConfigError);
        expect(registered).toBe(0);
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

const monitoring = prodValue("vauntico:monitoring");
if (!isRecord(payments) || !isRecord(monitoring) || !isRecord(monitoring["alerting"])) {
    throw new Error("prod stack shape changed");
}
const alerting = monitoring["alerting"];
const escalation = alerting["escalation"];
const withAlerting = (change: Record<string, unknown>) => ({ "vauntico:monitoring": { ...monitoring, alerting: { ...alerting, ...change } } });
const withThreshold = (name: string, value: number) => withAlerting({ thresholds: { [name]: value } });
const withEscalation = (change: Record<string, unknown>) => withAlerting({ escalation: { ...(isRecord(escalation) ? escalation : {}), ...change } });
const kilo = teams.Kilo;
const cline = teams.Cline;

/** Each numeric bound of the config at its edge: the value, and whether it is accepted. */
const boundaries: { title: string; key: string; cases: [unknown, Record<string, unknown>, boolean][] }[] = [
    {
        title: "secret bytes 32–1024", key: "vauntico:secrets[0].bytes",
        cases: [31, 32, 33, 1023, 1024, 1025].map((bytes) => [bytes, { "vauntico:secrets": [{ ...secrets[0], bytes }] }, bytes >= 32 && bytes <= 1024]),
    },
    {
        title: "secret rotation ≥ 1", key: "vauntico:secrets[0].rotation",
        cases: [0, 1, 2].map((rotation) => [rotation, { "vauntico:secrets": [{ ...secrets[0], rotation }] }, rotation >= 1]),
    },
    {
        title: "phase 1–5", key: "vauntico:phase",
        cases: [0, 1, 2, 4, 5, 6].map((phase) => [phase, { "vauntico:phase": phase }, phase >= 1 && phase <= 5]),
    },
    {
        title: "approvals 1–6", key: "vauntico:mergeProtection.requiredApprovals",
        cases: [0, 1, 2, 5, 6, 7, 1.5].map((n) => [n, { "vauntico:mergeProtection": { ...mergeProtection, requiredApprovals: n } }, n >= 1 && n <= 6 && Number.isInteger(n)]),
    },
    {
        title: "reviewers 1–6", key: "vauntico:environment.reviewers",
        cases: [0, 1, 2, 5, 6, 7].map((n) => [n, { "vauntico:environment": { ...environment, reviewers: { teams: [], users: Array.from({ length: n }, (_, i) => `user${i}`) } } }, n >= 1 && n <= 6]),
    },
    {
        title: "ratio thresholds strictly between 0 and 1", key: "vauntico:monitoring.alerting.thresholds.paymentFailureRatio",
        cases: [0, 0.001, 0.5, 0.999, 1].map((ratio) => [ratio, withThreshold("paymentFailureRatio", ratio), ratio > 0 && ratio < 1]),
    },
    {
        title: "signature-failure threshold ≥ 0", key: "vauntico:monitoring.alerting.thresholds.signatureVerificationFailure",
        cases: [-1, 0, 1].map((n) => [n, withThreshold("signatureVerificationFailure", n), n >= 0]),
    },
    {
        title: "no-successful-payment hours 1–168", key: "vauntico:monitoring.alerting.thresholds.noSuccessfulPaymentHours",
        cases: [0, 1, 2, 167, 168, 169].map((n) => [n, withThreshold("noSuccessfulPaymentHours", n), n >= 1 && n <= 168]),
    },
    {
        title: "evaluation interval 10–3600 s", key: "vauntico:monitoring.alerting.evaluationIntervalSeconds",
        cases: [9, 10, 11, 3599, 3600, 3601].map((n) => [n, withAlerting({ evaluationIntervalSeconds: n }), n >= 10 && n <= 3600]),
    },
    {
        title: "incident after 1–1440 minutes", key: "vauntico:monitoring.alerting.escalation.incidentAfterMinutes",
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
        expect(refusedKeys({ "vauntico:payments": { mode: "test", paystack: payments["paystack"] }, "vauntico:stripeSecretKey": undefined }, none("vauntico:stripeSecretKey"))).toEqual([]);
        expect(refusedKeys({ "vauntico:payments": { mode: "test", stripe: payments["stripe"] }, "vauntico:paystackSecretKey": undefined }, none("vauntico:paystackSecretKey"))).toEqual([]);
    });

    it("monitoring needs the Grafana URL and the Slack webhook, each on its own", () => {
        const none = (key: string) => (keys: string[]) => keys.filter((k) => k !== key);
        expect(refusedKeys({ "grafana:url": undefined })).toEqual(["grafana:url"]);
        expect(refusedKeys({ "vauntico:slackWebhookUrl": undefined }, none("vauntico:slackWebhookUrl"))).toEqual(["vauntico:slackWebhookUrl"]);
        expect(refusedKeys({ "vauntico:monitoring": undefined, "grafana:url": undefined, "vauntico:slackWebhookUrl": undefined }, none("vauntico:slackWebhookUrl"))).toEqual([]);
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

    it("an unknown key is refused in the vauntico namespace only; a secret one is shown as [secret]", () => {
        expect(refusedKeys({ "aws:region": "eu-west-1" })).toEqual([]);
        const file = prodWith({ "vauntico:apiKey": "sk_live_canary" }, (keys) => [...keys, "vauntico:apiKey"]);
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        expect(error.problems).toEqual([expect.objectContaining({ key: "vauntico:apiKey", given: "[secret]" })]);
        expect(error.message).not.toContain("sk_live_canary");
    });

    it("counts its problems in the heading: one problem, singular", () => {
        const file = prodWith({ "vauntico:phase": 9 });
        expect(problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys))).message).toMatch(/^Invalid stack configuration \(1 problem\):\n {2}- vauntico:phase: got 9; /);
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
            "vauntico:payments": undefined, "vauntico:monitoring": undefined, "vauntico:sentry": undefined, "vauntico:teams": undefined,
            "vauntico:executives": undefined, "grafana:url": undefined, "vauntico:stripeSecretKey": undefined, "vauntico:paystackSecretKey": undefined,
        });
        const minimal = parseStackConfig(bare.config, new Set(bare.secretKeys));
        for (const key of ["payments", "monitoring", "sentry", "teams", "executives"]) expect(minimal, key).not.toHaveProperty(key);
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
        expect(problem?.given).toBe(`"${"x".repeat(76)}...`);
        expect(problem?.given).toHaveLength(80);
    });
});

describe("configSecretKeys: the secret keys the CLI hands the program", () => {
    it("reads PULUMI_CONFIG_SECRET_KEYS, in either key form, ignoring what is not a string", () => {
        expect(configSecretKeys({ PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["github:token", "vauntico:config:stripeSecretKey", 7]) }))
            .toEqual(new Set(["github:token", "vauntico:stripeSecretKey"]));
        expect(configSecretKeys({ PULUMI_CONFIG_SECRET_KEYS: JSON.stringify({ key: "github:token" }) })).toEqual(new Set());
        expect(configSecretKeys({ PULUMI_CONFIG_SECRET_KEYS: "" })).toEqual(new Set());
        expect(configSecretKeys({})).toEqual(new Set());
    });
});
