import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, type PlannedResource } from "../../../cli/plan/index.js";
import { MergeProtection, ProductionEnvironment } from "../../../components/github/index.js";
import { DeploymentSecrets, entropyBits, opensslEquivalent, type SecretDeclaration } from "../../../components/secrets/index.js";

const declarations: SecretDeclaration[] = [
    { name: "JWT_SECRET", bytes: 64, encoding: "base64", rotation: 3 },
    { name: "SESSION_SECRET", bytes: 32, encoding: "hex" },
];

function byType(resources: PlannedResource[], type: string): PlannedResource[] {
    return resources.filter((r) => r.type === type);
}

function settle<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

describe("DeploymentSecrets", () => {
    it("generates each secret with RandomBytes as its child, keyed by name and rotation epoch", async () => {
        const run = await runUnderMocks({ project: "p", stack: "s" }, () => new DeploymentSecrets("secrets", { secrets: declarations }));
        const component = run.resources.find((r) => r.type === "vauntico:secrets:DeploymentSecrets");
        const randoms = byType(run.resources, "random:index/randomBytes:RandomBytes");
        expect(randoms.map((r) => r.name)).toEqual(["secrets-jwt_secret", "secrets-session_secret"]);
        for (const random of randoms) expect(random.parent).toBe(component?.urn);
        expect(randoms.map((r) => r.inputs["length"])).toEqual([64, 32]);
        expect(randoms.map((r) => r.inputs["keepers"])).toEqual([{ name: "JWT_SECRET", rotation: "3" }, { name: "SESSION_SECRET", rotation: "1" }]);
    });

    it("keeps every generated value a secret, in the right encoding", async () => {
        const run = await runUnderMocks({ project: "p", stack: "s" }, () => new DeploymentSecrets("secrets", { secrets: declarations }));
        const [jwt, session] = run.result.secrets;
        if (!jwt || !session) throw new Error("secrets missing");
        expect(await pulumi.isSecret(jwt.value)).toBe(true);
        expect(await pulumi.isSecret(session.value)).toBe(true);
        expect(Buffer.from(await settle(jwt.value), "base64")).toHaveLength(64);
        expect(await settle(session.value)).toMatch(/^[0-9a-f]{64}$/);
        for (const random of byType(run.resources, "random:index/randomBytes:RandomBytes")) {
            expect(random.secretPaths).toEqual(expect.arrayContaining(["outputs.base64", "outputs.hex"]));
        }
    });

    it("rejects a secret under 256 bits and duplicate names before registering children", async () => {
        await expect(runUnderMocks({ project: "p", stack: "s" }, () =>
            new DeploymentSecrets("secrets", { secrets: [{ name: "A", bytes: 16, encoding: "hex" }, { name: "A", bytes: 32, encoding: "hex" }] })))
            .rejects.toThrow(/bytes is 16; expected a whole number ≥ 32.*duplicate name A/);
    });

    it("describes entropy and the OpenSSL equivalent", () => {
        expect(entropyBits(32)).toBe(256);
        expect(opensslEquivalent({ bytes: 64, encoding: "base64" })).toBe("openssl rand -base64 64");
        expect(opensslEquivalent({ bytes: 32, encoding: "hex" })).toBe("openssl rand -hex 32");
    });
});

describe("ProductionEnvironment", () => {
    const build = () => runUnderMocks({ project: "p", stack: "s" }, () => new ProductionEnvironment("production", {
        repository: "vauntico-mvp",
        reviewers: { teams: ["release-managers"], users: ["ops-lead", "cto"] },
        secrets: [{ name: "JWT_SECRET", value: pulumi.secret("jwt-value") }, { name: "API_KEY", value: "plain-input-made-secret" }],
        variables: { NODE_ENV: "production" },
    }));

    it("requires reviewers, forbids admin bypass and deploys only from protected branches", async () => {
        const run = await build();
        const [environment] = byType(run.resources, "github:index/repositoryEnvironment:RepositoryEnvironment");
        expect(environment?.inputs["environment"]).toBe("production");
        expect(environment?.inputs["canAdminsBypass"]).toBe(false);
        expect(environment?.inputs["preventSelfReview"]).toBe(true);
        expect(environment?.inputs["deploymentBranchPolicy"]).toEqual({ protectedBranches: true, customBranchPolicies: false });
        const reviewers = environment?.inputs["reviewers"];
        expect(Array.isArray(reviewers) && reviewers.length === 1).toBe(true);
        const [entry] = Array.isArray(reviewers) ? reviewers : [];
        expect(entry).toMatchObject({ teams: [expect.any(Number)], users: [expect.any(Number), expect.any(Number)] });
    });

    it("delivers every secret exactly once to the environment, as a secret", async () => {
        const run = await build();
        const delivered = byType(run.resources, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
        expect(delivered.map((r) => r.inputs["secretName"]).sort()).toEqual(["API_KEY", "JWT_SECRET"]);
        const component = run.resources.find((r) => r.type === "vauntico:github:ProductionEnvironment");
        for (const secret of delivered) {
            expect(secret.parent).toBe(component?.urn);
            expect(secret.inputs["environment"]).toBe("production");
            expect(secret.inputs["repository"]).toBe("vauntico-mvp");
            expect(secret.secretPaths).toContain("inputs.plaintextValue");
            expect(secret.inputs["plaintextValue"]).toBe("[secret]");
        }
        const variables = byType(run.resources, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable");
        expect(variables.map((v) => [v.inputs["variableName"], v.inputs["value"]])).toEqual([["NODE_ENV", "production"]]);
    });

    it("rejects a secret given twice and an environment without reviewers", async () => {
        await expect(runUnderMocks({ project: "p", stack: "s" }, () => new ProductionEnvironment("production", {
            repository: "r", reviewers: { teams: [], users: [] }, secrets: [{ name: "A", value: "x" }, { name: "A", value: "y" }],
        }))).rejects.toThrow(/reviewers: none given.*A given twice/);
    });
});

describe("MergeProtection", () => {
    it("protects the default branch with every field the protocol and Scorecard's top tier need", async () => {
        const run = await runUnderMocks({ project: "p", stack: "s" }, () => new MergeProtection("merge", {
            repository: "vauntico-mvp", branch: "main", requiredChecks: ["test", "preview"], requiredApprovals: 2,
        }));
        const [protection] = byType(run.resources, "github:index/branchProtection:BranchProtection");
        const component = run.resources.find((r) => r.type === "vauntico:github:MergeProtection");
        expect(protection?.parent).toBe(component?.urn);
        expect(protection?.inputs).toMatchObject({
            repositoryId: "vauntico-mvp",
            pattern: "main",
            enforceAdmins: true,
            requiredStatusChecks: [{ strict: true, contexts: ["test", "preview"] }],
            requiredPullRequestReviews: [{ requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true, requireLastPushApproval: true }],
            requireConversationResolution: true,
            allowsForcePushes: false,
            allowsDeletions: false,
        });
    });

    it("rejects zero approvals and no checks", async () => {
        await expect(runUnderMocks({ project: "p", stack: "s" }, () => new MergeProtection("merge", {
            repository: "r", requiredChecks: [], requiredApprovals: 0,
        }))).rejects.toThrow(/requiredChecks: none given.*requiredApprovals: 0 given/);
    });
});
