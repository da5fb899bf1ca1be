import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runPlan } from "../../cli/plan/index.js";
import { StackConfigError, deliveredEnvironmentSecrets, parseStackConfig } from "../../stacks/config.js";
import { prodStackFile, prodValue, prodWith } from "../helpers/stackFiles.js";

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
const kilo = { slug: "kilo-dev", lead: "kilo-dev-lead", members: ["kilo-dev-lead", "kilo-dev-engineer"] };
const cline = { slug: "cline-ops", lead: "cline-ops-lead", members: ["cline-ops-lead", "cline-ops-engineer"] };
if (!Array.isArray(secrets) || typeof environment !== "object" || typeof mergeProtection !== "object" || typeof payments !== "object" || !isTeams(teams)) {
    throw new Error("prod stack shape changed");
}

/** Broken configs: the change, and the key (with path) the error must name. */
const brokenConfigs: { title: string; changes: Record<string, unknown>; key: string; secretKeys?: (keys: string[]) => string[]; given?: string; expected?: string }[] = [
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
    // The handoff ledger is judged against the teams: they are required.
    { title: "teams missing", changes: { "vauntico:teams": undefined }, key: "vauntico:teams" },
    { title: "unknown team", changes: { "vauntico:teams": { Kilo: kilo, Cline: cline, Devs: kilo } }, key: "vauntico:teams", expected: "unknown team Devs; the protocol has two teams, Kilo and Cline" },
    { title: "a team missing", changes: { "vauntico:teams": { Kilo: kilo } }, key: "vauntico:teams.Cline" },
    { title: "empty team", changes: { "vauntico:teams": { Kilo: { ...kilo, members: [] }, Cline: cline } }, key: "vauntico:teams.Kilo.members" },
    { title: "a login in both teams", changes: { "vauntico:teams": { Kilo: kilo, Cline: { ...cline, members: ["Kilo-Dev-Engineer", ...cline.members] } } }, key: "vauntico:teams.Cline.members[0]", given: "\"Kilo-Dev-Engineer\"" },
    { title: "lead not a member", changes: { "vauntico:teams": { Kilo: { ...kilo, lead: "someone-else" }, Cline: cline } }, key: "vauntico:teams.Kilo.lead", given: "\"someone-else\"" },
    { title: "malformed team slug", changes: { "vauntico:teams": { Kilo: { ...kilo, slug: "Kilo Dev" }, Cline: cline } }, key: "vauntico:teams.Kilo.slug" },
    { title: "waiver mirror with a bad expiry", changes: { "vauntico:waivers": [{ id: "w-1", kind: "waiver", by: "kilo-dev-lead", at: "2026-12-02T07:00:00Z", gate: "p3-payments-dashboard", resource: "stack", reason: "r", expires: "soon" }] }, key: "vauntico:waivers[w-1].expires", given: "\"soon\"" },
    { title: "waiver mirror not a list", changes: { "vauntico:waivers": { id: "w-1" } }, key: "vauntico:waivers" },
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
    it.each(brokenConfigs)("$title → $key", ({ changes, key, secretKeys, given, expected }) => {
        const file = prodWith(changes, secretKeys);
        const error = problemsOf(() => parseStackConfig(file.config, new Set(file.secretKeys)));
        const problem = error.problems.find((p) => p.key === key);
        expect(problem, `problems: ${error.message}`).toBeDefined();
        expect(error.message).toContain(key);
        if (given !== undefined) expect(problem?.given).toBe(given);
        if (expected !== undefined) expect(problem?.expected).toBe(expected);
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

describe("stack config: URLs carry no credential, webhooks reach a public host", () => {
    const canary = "Canary-P4ssw0rd";
    it.each([
        ["vauntico:payments.stripe.webhookUrl", { "vauntico:payments": { ...payments, stripe: { webhookUrl: `https://hook:${canary}@api.vauntico.com/webhooks/stripe` } } }, '"https://api.vauntico.com/webhooks/stripe"'],
        ["vauntico:payments.paystack.webhookUrl", { "vauntico:payments": { ...payments, paystack: { webhookUrl: `https://:${canary}@api.vauntico.com/webhooks/paystack` } } }, '"https://api.vauntico.com/webhooks/paystack"'],
        ["grafana:url", { "grafana:url": `https://admin:${canary}@vauntico.grafana.net` }, '"https://vauntico.grafana.net/"'],
        ["sentry:baseUrl", { "sentry:baseUrl": `https://admin:${canary}@sentry.vauntico.com/` }, '"https://sentry.vauntico.com/"'],
        ["vauntico:environment.variables.DATABASE_URL", { "vauntico:environment": { ...environment, variables: { DATABASE_URL: `postgres://app:${canary}@db.vauntico.com/app` } } }, '"postgres://db.vauntico.com/app"'],
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
        expect(problemAt({ "vauntico:payments": { ...payments, paystack: { webhookUrl: "https://10.1.2.3/paystack" } } }, "vauntico:payments.paystack.webhookUrl").expected).toMatch(/RFC 1918/);
    });

    it("Grafana and Sentry may be self-hosted on a private network; variables may hold URLs without credentials", () => {
        expect(accepted({ "grafana:url": "https://grafana.internal", "sentry:baseUrl": "https://10.0.0.8/" })).toBe(true);
        expect(accepted({ "vauntico:environment": { ...environment, variables: { APP_URL: "https://app.vauntico.com", NOTE: "user:pw@ is not a URL here" } } })).toBe(true);
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
        const plan = await runPlan({ stack: "prod", stackFile: prodStackFile() });
        const registered = plan.resources
            .filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret")
            .map((r) => String(r.inputs["secretName"]));
        expect(registered).toHaveLength(secrets.length + deliveredByComponents);
        expect(deliveredEnvironmentSecrets(plan.stackConfig).map((s) => s.name).sort()).toEqual(registered.sort());
    });

    it("each delivering section counts on its own", () => {
        const base = generated(100 - deliveredByComponents + 1);
        expect(accepted({ "vauntico:secrets": base, "vauntico:sentry": { ...sentry, projects: [{ slug: "backend", platform: "node" }] } })).toBe(true);
        expect(accepted({ "vauntico:secrets": base, "vauntico:payments": { ...payments, paystack: undefined } })).toBe(true);
        expect(accepted({ "vauntico:secrets": generated(100 - deliveredByComponents + 2), "vauntico:payments": { ...payments, paystack: undefined } })).toBe(false);
    });

    it("a generated secret may not take a name a component delivers", () => {
        const problem = problemAt({ "vauntico:secrets": [...secrets, { name: "STRIPE_SECRET_KEY", bytes: 32, encoding: "hex" }] }, `vauntico:secrets[${secrets.length}].name`);
        expect(problem.expected).toContain("vauntico:payments.stripe also delivers STRIPE_SECRET_KEY");
        const dsn = problemAt({ "vauntico:secrets": [...secrets, { name: "SENTRY_DSN_BACKEND", bytes: 32, encoding: "hex" }] }, `vauntico:secrets[${secrets.length}].name`);
        expect(dsn.expected).toContain("vauntico:sentry.projects[1].slug also delivers SENTRY_DSN_BACKEND");
    });

    it("two Sentry projects whose DSN secrets would share a name are refused", () => {
        const problem = problemAt({ "vauntico:sentry": { ...sentry, projects: [{ slug: "web-app", platform: "node" }, { slug: "web_app", platform: "node" }] } }, "vauntico:sentry.projects[0].slug");
        expect(problem.expected).toContain("vauntico:sentry.projects[1].slug also delivers SENTRY_DSN_WEB_APP");
    });

    it("100 variables are accepted, 101 refused", () => {
        const variables = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`VARIABLE_${i}`, "x"]));
        expect(accepted({ "vauntico:environment": { ...environment, variables: variables(100) } })).toBe(true);
        expect(problemAt({ "vauntico:environment": { ...environment, variables: variables(101) } }, "vauntico:environment.variables").expected).toContain("at most 100 variables");
    });

    it("a variable value of 48 KB is accepted, one byte more refused, counted in UTF-8 bytes", () => {
        const limit = 48 * 1024;
        expect(accepted({ "vauntico:environment": { ...environment, variables: { BIG: "a".repeat(limit) } } })).toBe(true);
        const problem = problemAt({ "vauntico:environment": { ...environment, variables: { BIG: "a".repeat(limit + 1) } } }, "vauntico:environment.variables.BIG");
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
        const users = problemAt({ "vauntico:environment": { ...environment, reviewers: { users: ["cline-ops-lead", "Cline-Ops-Lead"] } } }, "vauntico:environment.reviewers.users[1]");
        expect(users.expected).toContain("repeats users[0]");
        const teams = problemAt({ "vauntico:environment": { ...environment, reviewers: { teams: ["release-managers", "release-managers"] } } }, "vauntico:environment.reviewers.teams[1]");
        expect(teams.expected).toContain("repeats teams[0]");
        expect(accepted({ "vauntico:environment": { ...environment, reviewers: { teams: ["ops"], users: ["ops"] } } })).toBe(true);
    });

    it("6 reviewers are accepted, 7 refused", () => {
        const users = (count: number) => Array.from({ length: count }, (_, i) => `reviewer-${i}`);
        expect(accepted({ "vauntico:environment": { ...environment, reviewers: { users: users(6) } } })).toBe(true);
        expect(problemAt({ "vauntico:environment": { ...environment, reviewers: { users: users(7) } } }, "vauntico:environment.reviewers").expected).toContain("at most 6");
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
        expect(problemAt({ "vauntico:sentry": { ...sentry, projects: [{ slug: "b".repeat(51), platform: "node" }] } }, "vauntico:sentry.projects[0].slug").expected).toContain("Sentry project slug");
    });

    it("escalation to an incident: 1 and 1440 minutes accepted, 0 and 1441 refused (OnCall's wait limits)", () => {
        const monitoring = prodValue("vauntico:monitoring");
        if (typeof monitoring !== "object" || monitoring === null || !("alerting" in monitoring)) throw new Error("prod stack shape changed");
        const alerting = monitoring.alerting;
        if (typeof alerting !== "object" || alerting === null || !("escalation" in alerting)) throw new Error("prod stack shape changed");
        const escalation = alerting.escalation;
        if (typeof escalation !== "object" || escalation === null) throw new Error("prod stack shape changed");
        const after = (incidentAfterMinutes: number) => ({ "vauntico:monitoring": { ...monitoring, alerting: { ...alerting, escalation: { ...escalation, incidentAfterMinutes } } } });
        expect(accepted(after(1))).toBe(true);
        expect(accepted(after(1440))).toBe(true);
        expect(problemAt(after(0), "vauntico:monitoring.alerting.escalation.incidentAfterMinutes").expected).toContain("at least 1 minute");
        expect(problemAt(after(1441), "vauntico:monitoring.alerting.escalation.incidentAfterMinutes").expected).toContain("at most 1440 minutes");
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
