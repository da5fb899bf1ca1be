import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";
import { runUnderMocks } from "../../../cli/plan/index.js";
import { planMocks } from "../../../cli/plan/fakeOutputs.js";
import { ProductionEnvironment } from "../../../components/github/index.js";
import { byType, isRecord } from "../../support/values.js";

/** The value inside a secret envelope as mocks receive it; anything else as is. */
function secretValue(value: unknown): unknown {
    return isRecord(value) && value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? value["value"] : value;
}

describe("ProductionEnvironment", () => {
    /** What each environment secret was given, as the engine receives it (secrets unwrapped). */
    const deliveredValues = new Map<string, unknown>();
    const recording: pulumi.runtime.Mocks = {
        ...planMocks(),
        newResource: (args) => {
            if (args.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret") deliveredValues.set(String(args.inputs["secretName"]), secretValue(args.inputs["plaintextValue"]));
            return planMocks().newResource(args);
        },
    };
    const build = () => runUnderMocks({ project: "p", stack: "s", mocks: recording }, () => new ProductionEnvironment("production", {
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
        }
        // Each secret carries its own value (secret-ness is the SDK's: see the test below).
        expect(Object.fromEntries(deliveredValues)).toEqual({ JWT_SECRET: "jwt-value", API_KEY: "plain-input-made-secret" });
        const variables = byType(run.resources, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable");
        expect(variables.map((v) => [v.inputs["variableName"], v.inputs["value"]])).toEqual([["NODE_ENV", "production"]]);
    });

    it("rejects a secret given twice and an environment without reviewers", async () => {
        await expect(runUnderMocks({ project: "p", stack: "s" }, () => new ProductionEnvironment("production", {
            repository: "r", reviewers: { teams: [], users: [] }, secrets: [{ name: "A", value: "x" }, { name: "A", value: "y" }],
        }))).rejects.toThrow(/reviewers: none given.*A given twice/);
    });

    it("relies on @pulumi/github to keep plaintextValue secret, even when given a plain string", async () => {
        // This guarantee is the SDK's, not the component's: it is asserted here so an SDK upgrade that drops it fails.
        const run = await runUnderMocks({ project: "p", stack: "s" }, () => new github.ActionsEnvironmentSecret("bare", {
            repository: "r", environment: "production", secretName: "BARE", plaintextValue: "plain",
        }));
        const [bare] = byType(run.resources, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
        expect(bare?.secretPaths).toEqual(expect.arrayContaining(["inputs.plaintextValue", "outputs.plaintextValue"]));
        expect(JSON.stringify(run.resources)).not.toContain('"plain"');
    });
});
