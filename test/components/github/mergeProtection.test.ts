import { describe, expect, it } from "vitest";
import { runUnderMocks } from "../../../cli/plan/index.js";
import { MergeProtection } from "../../../components/github/index.js";
import { byType } from "../../support/values.js";

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
