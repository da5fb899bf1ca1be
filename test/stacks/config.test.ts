import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runPlan } from "../../cli/plan/index.js";
import { StackConfigError, parseStackConfig } from "../../stacks/config.js";
import { prodStackFile, prodValue, prodWith } from "../support/stackFiles.js";

function problemsOf(run: () => unknown): StackConfigError {
    try {
        run();
    } catch (error) {
        if (error instanceof StackConfigError) return error;
        throw error;
    }
    throw new Error("expected a StackConfigError");
}

const secrets = prodValue("vauntico:secrets");
const environment = prodValue("vauntico:environment");
const mergeProtection = prodValue("vauntico:mergeProtection");
const payments = prodValue("vauntico:payments");
if (!Array.isArray(secrets) || typeof environment !== "object" || typeof mergeProtection !== "object" || typeof payments !== "object") {
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
