import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../../cli/plan/index.js";
import { ProductionEnvironment } from "../../../components/github/index.js";
import { byType } from "../../support/values.js";

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
