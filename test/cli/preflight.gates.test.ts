import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureOutput } from "../support/capturedOutput.js";
import { type PolicyPackSession, type Verdict, asManualItems, blocksDeployment, openPolicyPack } from "../../cli/analyzer/index.js";
import { manualProtocolItems } from "../../policy/protocol/index.js";
import { type Plan, type PlannedResource, runPlan } from "../../cli/plan/index.js";
import { main } from "../../cli/preflight.js";
import { isRecord } from "../../policy/gates/read.js";
import { projectDir, prodStackFile, prodWith } from "../support/stackFiles.js";
import { evaluateInProcess } from "../support/inProcessPack.js";

const output = captureOutput();

function isVerdict(value: unknown): value is Verdict {
    return (
        isRecord(value) &&
        typeof value["policy"] === "string" &&
        typeof value["phase"] === "number" &&
        (value["enforcement"] === "mandatory" || value["enforcement"] === "advisory") &&
        (value["urn"] === null || typeof value["urn"] === "string") &&
        typeof value["message"] === "string"
    );
}

describe("preflight on the prod stack runs the gates", () => {
    it("passes every phase-1 gate and adds verdicts and manual items to --json", async () => {
        process.chdir(projectDir);
        expect(await main(["--json"])).toBe(0);
        const report: unknown = JSON.parse(output.stdout);
        if (!isRecord(report)) throw new Error("not an object");
        const verdicts = report["verdicts"];
        if (!Array.isArray(verdicts) || !verdicts.every(isVerdict)) throw new Error(`bad verdicts: ${JSON.stringify(verdicts)}`);
        expect(verdicts.filter((v) => v.enforcement === "mandatory")).toEqual([]);
        expect(verdicts.every((v) => v.phase > 1)).toBe(true);
        // The prod ledger confirms nothing yet: every manual item is open.
        expect(report["manual"]).toEqual(asManualItems(manualProtocolItems()));
        expect(report["manual"]).toContainEqual({ id: "p5.beta-invitations-sent", phase: 5, criterion: "Beta invitations sent", owner: "Kilo" });
        expect(Object.keys(asManualItems(manualProtocolItems())[0] ?? {})).toEqual(["id", "phase", "criterion", "owner"]);
    }, 120_000);

    it("prints the verdicts for a person", async () => {
        process.chdir(projectDir);
        // The text form of the same verdicts: judged in-process (the --json case above ran the pack).
        expect(await main([], (plan) => evaluateInProcess(plan))).toBe(0);
        expect(output.stdout).toContain("Gates at phase 1: 0 mandatory violations");
        expect(output.stdout).toContain("Result: gates of this phase pass.");
    }, 120_000);

    it("exits non-zero naming the gate when live payments are configured before phase 5", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-gates-"));
        fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const prod = fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8");
        expect(prod).toContain("    mode: test");
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), prod.replace("    mode: test", "    mode: live"));
        process.chdir(dir);
        // Judged in-process: the mode matrix's real-pack witnesses give the same verdict (payments.modeMatrix.test.ts).
        expect(await main(["--json"], (plan) => evaluateInProcess(plan))).toBe(1);
        const report: unknown = JSON.parse(output.stdout);
        const verdicts = isRecord(report) && Array.isArray(report["verdicts"]) ? report["verdicts"].filter(isVerdict) : [];
        expect(verdicts.filter((v) => v.enforcement === "mandatory").map((v) => v.policy)).toContain("p5-live-payment-keys-only-at-phase-5");
    }, 120_000);
});

/**
 * The config schema rejects each of these weakenings before any resource is registered (so preflight exits
 * 2 naming the key); the gate is proven independently on the prod plan with the weakening applied to the
 * registered resources, as a program that bypassed the schema would register them.
 */
describe("each weakened P1 criterion is a mandatory violation naming its gate", () => {
    let plan: Plan;
    let session: PolicyPackSession;
    beforeAll(async () => {
        plan = await runPlan({ stack: "prod", stackFile: prodStackFile(), serializeDynamicProviders: false });
        session = await openPolicyPack({ project: plan.project, stack: plan.stack, config: plan.config });
    });
    afterAll(async () => {
        await session?.close();
    });

    function edited(type: string, edit: (inputs: Record<string, unknown>) => Record<string, unknown>): PlannedResource[] {
        let seen = false;
        const resources = plan.resources.map((r) => {
            if (r.type !== type || seen) return r;
            seen = true;
            const inputs = edit(structuredClone(r.inputs));
            return { ...r, inputs, outputs: { ...r.outputs, ...inputs } };
        });
        if (!seen) throw new Error(`no ${type} in the prod plan`);
        return resources;
    }

    async function mandatoryPolicies(resources: readonly PlannedResource[]): Promise<string[]> {
        const verdicts = await session.evaluate(resources);
        expect(blocksDeployment(verdicts)).toBe(true);
        return [...new Set(verdicts.filter((v) => v.enforcement === "mandatory").map((v) => v.policy))];
    }

    const branch = "github:index/branchProtection:BranchProtection";
    const environment = "github:index/repositoryEnvironment:RepositoryEnvironment";
    const reviews = (inputs: Record<string, unknown>, change: Record<string, unknown>) => {
        const list = inputs["requiredPullRequestReviews"];
        const first = Array.isArray(list) && isRecord(list[0]) ? list[0] : {};
        return { ...inputs, requiredPullRequestReviews: [{ ...first, ...change }] };
    };

    it("the unweakened prod plan has no mandatory violation", async () => {
        expect((await session.evaluate(plan.resources)).filter((v) => v.enforcement === "mandatory")).toEqual([]);
    });
    it("zero approvals → p1-default-branch-protection", async () => {
        expect(await mandatoryPolicies(edited(branch, (i) => reviews(i, { requiredApprovingReviewCount: 0 })))).toEqual(["p1-default-branch-protection"]);
    });
    it("stale reviews kept → p1-default-branch-protection", async () => {
        expect(await mandatoryPolicies(edited(branch, (i) => reviews(i, { dismissStaleReviews: false })))).toEqual(["p1-default-branch-protection"]);
    });
    it("force push or deletion allowed → p1-default-branch-protection", async () => {
        expect(await mandatoryPolicies(edited(branch, (i) => ({ ...i, allowsForcePushes: true, allowsDeletions: true })))).toEqual([
            "p1-default-branch-protection",
        ]);
    });
    it("no required status checks → p1-default-branch-protection", async () => {
        expect(await mandatoryPolicies(edited(branch, (i) => ({ ...i, requiredStatusChecks: [{ strict: true, contexts: [] }] })))).toEqual([
            "p1-default-branch-protection",
        ]);
    });
    it("no branch protection at all → p1-default-branch-protection-present", async () => {
        expect(await mandatoryPolicies(plan.resources.filter((r) => r.type !== branch))).toEqual(["p1-default-branch-protection-present"]);
    });
    it("a 16-byte secret → p1-secret-strength", async () => {
        expect(await mandatoryPolicies(edited("random:index/randomBytes:RandomBytes", (i) => ({ ...i, length: 16 })))).toEqual(["p1-secret-strength"]);
    });
    it("no reviewers → p1-production-environment", async () => {
        expect(await mandatoryPolicies(edited(environment, (i) => ({ ...i, reviewers: [{ teams: [], users: [] }] })))).toEqual(["p1-production-environment"]);
    });
    it("admin bypass → p1-production-environment", async () => {
        expect(await mandatoryPolicies(edited(environment, (i) => ({ ...i, canAdminsBypass: true })))).toEqual(["p1-production-environment"]);
    });
    it("a secret not delivered → p1-secrets-delivered", async () => {
        const undelivered = plan.resources.filter(
            (r) => !(r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret" && r.inputs["secretName"] === "JWT_SECRET"),
        );
        expect(await mandatoryPolicies(undelivered)).toEqual(["p1-secrets-delivered"]);
    });

    it("and preflight itself rejects those configs before registering anything", async () => {
        for (const weakened of [
            { "vauntico:mergeProtection": { branch: "main", requiredChecks: ["test"], requiredApprovals: 0 } },
            { "vauntico:secrets": [{ name: "JWT_SECRET", bytes: 16, encoding: "hex" }] },
            { "vauntico:environment": { name: "production", reviewers: { teams: [], users: [] } } },
        ]) {
            await expect(runPlan({ stack: "prod", stackFile: prodWith(weakened) })).rejects.toThrow(/Invalid stack configuration/);
        }
    });
});
