import { describe, expect, it } from "vitest";
import {
    defaultBranchProtection,
    defaultBranchProtectionPresent,
    productionEnvironment,
    productionEnvironmentPresent,
    secretStrength,
    secretsDelivered,
    secretsGenerated,
} from "../../../policy/gates/index.js";
import {
    branchProtection,
    environmentSecret,
    phase1Stack,
    productionEnvironment as environmentFixture,
    randomBytes,
    withConfig,
} from "../../support/fixtures.js";
import { messageParts } from "../../../policy/gates/gate.js";
import { context, messages, runResourceGate, runStackGate } from "../../support/gateHarness.js";

/** The fix each finding names (the part after "To fix:"). */
const fixes = (found: readonly { message: string }[]) => found.map((f) => messageParts(f.message).fix);

describe("p1-secret-strength", () => {
    it("passes 32- and 64-byte secrets with name and rotation", async () => {
        expect(await runResourceGate(secretStrength, [randomBytes("JWT_SECRET", 32), randomBytes("SESSION_SECRET", 64)])).toEqual([]);
    });
    it("rejects a 16-byte secret with the full message", async () => {
        expect(messages(await runResourceGate(secretStrength, [randomBytes("JWT_SECRET", 16)]))).toEqual([
            '[p1-secret-strength] phase 1 (Secrets & Merge), criterion "Secrets properly formatted and secure", owner Kilo: ' +
                'secret JWT_SECRET is 16 bytes (128 bits), below 256 bits. Blocks artifact "SECRETS_GENERATION_REPORT.md". ' +
                'To fix: set its "bytes" in vauntico:secrets to at least 32.',
        ]);
    });
    it("draws the line at 32 bytes (256 bits): 31 fails, 32 and 33 pass", async () => {
        expect(messages(await runResourceGate(secretStrength, [randomBytes("JWT_SECRET", 31)]))).toEqual([
            expect.stringContaining("31 bytes (248 bits), below 256 bits"),
        ]);
        expect(await runResourceGate(secretStrength, [randomBytes("JWT_SECRET", 32)])).toEqual([]);
        expect(await runResourceGate(secretStrength, [randomBytes("JWT_SECRET", 33)])).toEqual([]);
    });
    it("rejects a length that is not a whole number of bytes", async () => {
        expect(messages(await runResourceGate(secretStrength, [randomBytes("JWT_SECRET", 32.5)]))).toEqual([
            expect.stringContaining("secret JWT_SECRET is 32.5 bytes"),
        ]);
    });
    it("needs both keepers: a missing name alone, a missing rotation alone", async () => {
        const type = randomBytes("X").type;
        expect(messages(await runResourceGate(secretStrength, [{ type, name: "r", props: { length: 32, keepers: { rotation: "1" } } }]))).toEqual([
            expect.stringContaining("random bytes r carry no keepers.name"),
        ]);
        expect(messages(await runResourceGate(secretStrength, [{ type, name: "r", props: { length: 32, keepers: { name: "JWT_SECRET" } } }]))).toEqual([
            expect.stringContaining("secret JWT_SECRET carries no keepers.rotation epoch"),
        ]);
    });
    it("names the fix for a missing name and a missing rotation: generate through DeploymentSecrets", async () => {
        const found = await runResourceGate(secretStrength, [{ type: randomBytes("X").type, name: "loose", props: { length: 32 } }]);
        expect(fixes(found)).toEqual([
            "generate secrets through the DeploymentSecrets component, which keys each by its name",
            "generate secrets through the DeploymentSecrets component, which sets the rotation epoch",
        ]);
    });
    it("rejects random bytes without keepers", async () => {
        const found = messages(await runResourceGate(secretStrength, [{ type: randomBytes("X").type, name: "loose", props: { length: 32 } }]));
        expect(found).toHaveLength(2);
        expect(found[0]).toContain("random bytes loose carry no keepers.name");
        expect(found[1]).toContain("secret loose carries no keepers.rotation epoch");
    });
    it("ignores other resource types", async () => {
        expect(await runResourceGate(secretStrength, [environmentFixture()])).toEqual([]);
    });
});

describe("p1-secrets-generated", () => {
    it("passes when every declared secret is generated", async () => {
        expect(await runStackGate(secretsGenerated, phase1Stack())).toEqual([]);
    });
    it("names a declared secret that is not generated", async () => {
        const stack = phase1Stack().filter((r) => r.name !== "secrets-session_secret");
        expect(messages(await runStackGate(secretsGenerated, stack))).toEqual([
            expect.stringContaining("secret SESSION_SECRET is declared in vauntico:secrets but not generated"),
        ]);
    });
    it("treats a stack without secrets as a violation, not a pass", async () => {
        const found = await runStackGate(secretsGenerated, [], context(withConfig({ "vauntico:secrets": undefined })));
        expect(messages(found)).toEqual([expect.stringContaining("no generated secrets in the stack")]);
        expect(fixes(found)).toEqual(["declare the deployment's secrets in vauntico:secrets and create the DeploymentSecrets component"]);
    });
    it("does not count random bytes without a name as a generated secret", async () => {
        const unnamed = { type: randomBytes("X").type, name: "unnamed", props: { length: 32, keepers: { rotation: "1" } } };
        expect(messages(await runStackGate(secretsGenerated, [unnamed], context(withConfig({ "vauntico:secrets": undefined }))))).toEqual([
            expect.stringContaining("no generated secrets in the stack"),
        ]);
    });
    it("names the fix for a declared secret that is not generated", async () => {
        const found = await runStackGate(
            secretsGenerated,
            phase1Stack().filter((r) => r.name !== "secrets-session_secret"),
        );
        expect(fixes(found)).toEqual(["pass every declared secret to the DeploymentSecrets component"]);
    });
});

describe("p1-secrets-delivered", () => {
    it("passes when each secret is delivered exactly once to production", async () => {
        expect(await runStackGate(secretsDelivered, phase1Stack())).toEqual([]);
    });
    it("names an undelivered secret, on its resource", async () => {
        const stack = phase1Stack().filter((r) => r.name !== "env-secret-jwt_secret");
        const found = await runStackGate(secretsDelivered, stack);
        expect(found).toHaveLength(1);
        expect(found[0]?.message).toContain('secret JWT_SECRET is delivered 0 times to the "production" environment; expected exactly once');
        expect(found[0]?.urn).toContain("secrets-jwt_secret");
    });
    it("rejects a double delivery and a delivery to another environment", async () => {
        const doubled = [...phase1Stack(), { ...environmentSecret("JWT_SECRET"), name: "again" }];
        expect(messages(await runStackGate(secretsDelivered, doubled))).toEqual([expect.stringContaining("secret JWT_SECRET is delivered 2 times")]);
        const elsewhere = phase1Stack().map((r) => (r.name === "env-secret-jwt_secret" ? environmentSecret("JWT_SECRET", "staging") : r));
        expect(messages(await runStackGate(secretsDelivered, elsewhere))).toEqual([expect.stringContaining("secret JWT_SECRET is delivered 0 times")]);
    });
    it("treats nothing to deliver as a violation", async () => {
        const found = await runStackGate(secretsDelivered, []);
        expect(messages(found)).toEqual([expect.stringContaining("no generated secrets to deliver")]);
        expect(fixes(found)).toEqual(["declare the deployment's secrets in vauntico:secrets and deliver them to the production environment"]);
    });
    it("names the fix for an undelivered secret: its name and environment", async () => {
        const found = await runStackGate(
            secretsDelivered,
            phase1Stack().filter((r) => r.name !== "env-secret-jwt_secret"),
        );
        expect(fixes(found)).toEqual(['deliver it once as the environment secret JWT_SECRET of "production" (ProductionEnvironment\'s secrets)']);
    });
    it("leaves random bytes without a name to p1-secret-strength: no delivery is asked of them", async () => {
        const unnamed = { type: randomBytes("X").type, name: "unnamed", props: { length: 32, keepers: { rotation: "1" } } };
        expect(await runStackGate(secretsDelivered, [...phase1Stack(), unnamed])).toEqual([]);
    });
});

describe("p1-production-environment", () => {
    it("passes the contract's environment", async () => {
        expect(await runResourceGate(productionEnvironment, [environmentFixture()])).toEqual([]);
    });
    const cases: [string, Record<string, unknown>, string][] = [
        ["no reviewers", { reviewers: [{ teams: [], users: [] }] }, 'environment "production" has no required reviewer'],
        ["no reviewers block", { reviewers: [] }, 'environment "production" has no required reviewer'],
        ["reviewers unset", { reviewers: undefined }, 'environment "production" has no required reviewer'],
        ["admin bypass", { canAdminsBypass: true }, 'environment "production" lets administrators bypass its protection rules'],
        ["self review", { preventSelfReview: false }, "lets the person who triggered a deployment approve it"],
        ["any branch", { deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } }, "accepts deployments from unprotected branches"],
        // Each operand of the branch-policy condition alone.
        [
            "unprotected branches, no custom policies",
            { deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: false } },
            "accepts deployments from unprotected branches",
        ],
        [
            "protected branches plus custom policies",
            { deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: true } },
            "accepts deployments from unprotected branches",
        ],
        ["no branch policy", { deploymentBranchPolicy: undefined }, "accepts deployments from unprotected branches"],
        ["admin bypass unset", { canAdminsBypass: undefined }, "lets administrators bypass its protection rules"],
        ["self review unset", { preventSelfReview: undefined }, "lets the person who triggered a deployment approve it"],
    ];
    for (const [label, override, expected] of cases) {
        it(`rejects ${label}`, async () => {
            expect(messages(await runResourceGate(productionEnvironment, [environmentFixture(override)]))).toEqual([expect.stringContaining(expected)]);
        });
    }
    it("names the fix for each problem", async () => {
        const fixOf = async (override: Record<string, unknown>) => fixes(await runResourceGate(productionEnvironment, [environmentFixture(override)]));
        expect(await fixOf({ reviewers: [] })).toEqual(["list at least one team or user under vauntico:environment.reviewers"]);
        expect(await fixOf({ canAdminsBypass: true })).toEqual(["set canAdminsBypass to false"]);
        expect(await fixOf({ preventSelfReview: false })).toEqual(["set preventSelfReview to true"]);
        expect(await fixOf({ deploymentBranchPolicy: undefined })).toEqual([
            "set deploymentBranchPolicy to { protectedBranches: true, customBranchPolicies: false }",
        ]);
    });
    it("passes one reviewer, a team or a user alone", async () => {
        expect(await runResourceGate(productionEnvironment, [environmentFixture({ reviewers: [{ teams: [42], users: [] }] })])).toEqual([]);
        expect(await runResourceGate(productionEnvironment, [environmentFixture({ reviewers: [{ teams: [], users: [7] }] })])).toEqual([]);
        expect(await runResourceGate(productionEnvironment, [environmentFixture({ reviewers: [{}, { users: [7] }] })])).toEqual([]);
    });
    it("checks only the configured environment", async () => {
        expect(await runResourceGate(productionEnvironment, [environmentFixture({ environment: "staging", canAdminsBypass: true })])).toEqual([]);
    });
    it("is present-checked: no production environment is a violation", async () => {
        expect(await runStackGate(productionEnvironmentPresent, phase1Stack())).toEqual([]);
        const found = messages(
            await runStackGate(
                productionEnvironmentPresent,
                phase1Stack().filter((r) => r.name !== "env-environment"),
            ),
        );
        expect(found).toEqual([expect.stringContaining('no GitHub environment "production" in the stack')]);
        const missing = await runStackGate(
            productionEnvironmentPresent,
            phase1Stack().filter((r) => r.name !== "env-environment"),
        );
        expect(fixes(missing)).toEqual(["create the ProductionEnvironment component with vauntico:environment"]);
    });
});

describe("p1-default-branch-protection", () => {
    it("passes the contract's branch protection", async () => {
        expect(await runResourceGate(defaultBranchProtection, [branchProtection()])).toEqual([]);
    });
    it("rejects zero approvals with the full message", async () => {
        expect(messages(await runResourceGate(defaultBranchProtection, [branchProtection({}, { requiredApprovingReviewCount: 0 })]))).toEqual([
            '[p1-default-branch-protection] phase 1 (Secrets & Merge), criterion "PR #7 ready for merge with passing CI checks", owner Kilo: ' +
                'branch main requires 0 approving reviews; at least 2 required. Blocks artifact "PR #7 merge approval". ' +
                "To fix: set vauntico:mergeProtection.requiredApprovals to 1 or more.",
        ]);
    });
    const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
        ["admins exempt", { enforceAdmins: false }, {}, "branch main lets administrators skip its protection"],
        ["no status checks", { requiredStatusChecks: [] }, {}, "branch main requires no status checks"],
        [
            "a missing configured check",
            { requiredStatusChecks: [{ strict: true, contexts: ["ci/test"] }] },
            {},
            "does not require the configured status checks ci/gates",
        ],
        [
            "non-strict checks",
            { requiredStatusChecks: [{ strict: false, contexts: ["ci/test", "ci/gates"] }] },
            {},
            "does not require branches to be up to date",
        ],
        ["stale approvals", {}, { dismissStaleReviews: false }, "branch main keeps approvals after new commits"],
        ["no code owners", {}, { requireCodeOwnerReviews: false }, "does not require code owner review"],
        ["last-push self-approval", {}, { requireLastPushApproval: false }, "lets the last pusher approve their own push"],
        ["unresolved conversations", { requireConversationResolution: false }, {}, "merges with unresolved review conversations"],
        ["force pushes", { allowsForcePushes: true }, {}, "branch main allows force pushes"],
        ["deletion", { allowsDeletions: true }, {}, "branch main can be deleted"],
    ];
    for (const [label, override, reviewOverride, expected] of cases) {
        it(`rejects ${label}`, async () => {
            const found = messages(await runResourceGate(defaultBranchProtection, [branchProtection(override, reviewOverride)]));
            expect(found).toEqual(
                label === "no status checks"
                    ? [expect.stringContaining(expected), expect.stringContaining("does not require the configured status checks ci/test, ci/gates")]
                    : [expect.stringContaining(expected)],
            );
        });
    }
    it("names the fix for each problem", async () => {
        const fixOf = async (override: Record<string, unknown>, reviewOverride: Record<string, unknown> = {}) =>
            fixes(await runResourceGate(defaultBranchProtection, [branchProtection(override, reviewOverride)]));
        expect(await fixOf({ enforceAdmins: false })).toEqual(["set enforceAdmins to true"]);
        expect(await fixOf({ requiredStatusChecks: [] })).toEqual([
            "list the CI jobs under vauntico:mergeProtection.requiredChecks",
            "pass vauntico:mergeProtection.requiredChecks to MergeProtection",
        ]);
        expect(await fixOf({ requiredStatusChecks: [{ strict: false, contexts: ["ci/test", "ci/gates"] }] })).toEqual([
            "set requiredStatusChecks[0].strict to true",
        ]);
        expect(await fixOf({}, { dismissStaleReviews: false })).toEqual(["set dismissStaleReviews to true"]);
        expect(await fixOf({}, { requireCodeOwnerReviews: false })).toEqual(["set requireCodeOwnerReviews to true"]);
        expect(await fixOf({}, { requireLastPushApproval: false })).toEqual(["set requireLastPushApproval to true"]);
        expect(await fixOf({ requireConversationResolution: false })).toEqual(["set requireConversationResolution to true"]);
        expect(await fixOf({ allowsForcePushes: true })).toEqual(["set allowsForcePushes to false"]);
        expect(await fixOf({ allowsDeletions: true })).toEqual(["set allowsDeletions to false"]);
    });
    it("reads unset status checks and reviews as none, not as an error", async () => {
        expect(messages(await runResourceGate(defaultBranchProtection, [branchProtection({ requiredStatusChecks: undefined })]))).toEqual([
            expect.stringContaining("branch main requires no status checks"),
            expect.stringContaining("does not require the configured status checks ci/test, ci/gates"),
        ]);
        expect(messages(await runResourceGate(defaultBranchProtection, [branchProtection({ requiredPullRequestReviews: undefined })]))).toEqual([
            expect.stringContaining("requires 0 approving reviews; at least 2 required"),
            expect.stringContaining("keeps approvals after new commits"),
            expect.stringContaining("does not require code owner review"),
            expect.stringContaining("lets the last pusher approve their own push"),
        ]);
    });
    it("holds approvals to the configured number at its edge: 1 of 2 fails, 2 and 3 pass", async () => {
        const approvals = (count: number) => runResourceGate(defaultBranchProtection, [branchProtection({}, { requiredApprovingReviewCount: count })]);
        expect(messages(await approvals(1))).toEqual([expect.stringContaining("branch main requires 1 approving reviews; at least 2 required")]);
        expect(await approvals(2)).toEqual([]);
        expect(await approvals(3)).toEqual([]);
        const three = context(
            withConfig({ "vauntico:mergeProtection": JSON.stringify({ branch: "main", requiredChecks: ["ci/test", "ci/gates"], requiredApprovals: 3 }) }),
        );
        expect(messages(await runResourceGate(defaultBranchProtection, [branchProtection({}, { requiredApprovingReviewCount: 2 })], three))).toEqual([
            expect.stringContaining("requires 2 approving reviews; at least 3 required"),
        ]);
    });
    it("counts no review block as zero approvals", async () => {
        const found = messages(await runResourceGate(defaultBranchProtection, [branchProtection({ requiredPullRequestReviews: [] })]));
        expect(found).toContainEqual(expect.stringContaining("requires 0 approving reviews; at least 2 required"));
    });
    it("checks only the configured default branch", async () => {
        expect(await runResourceGate(defaultBranchProtection, [branchProtection({ pattern: "develop", allowsForcePushes: true })])).toEqual([]);
    });
    it("requires at least one approval even when the config asks for none", async () => {
        const ctx = context(withConfig({ "vauntico:mergeProtection": JSON.stringify({ branch: "main", requiredChecks: ["ci/test"], requiredApprovals: 0 }) }));
        expect(messages(await runResourceGate(defaultBranchProtection, [branchProtection({}, { requiredApprovingReviewCount: 0 })], ctx))).toEqual([
            expect.stringContaining("requires 0 approving reviews; at least 1 required"),
        ]);
    });
    it("is present-checked: protection of another branch does not count", async () => {
        expect(await runStackGate(defaultBranchProtectionPresent, phase1Stack())).toEqual([]);
        const stack = phase1Stack().map((r) => (r.name === "merge-main" ? branchProtection({ pattern: "develop" }) : r));
        const found = await runStackGate(defaultBranchProtectionPresent, stack);
        expect(messages(found)).toEqual([expect.stringContaining("no branch protection for main in the stack")]);
        expect(fixes(found)).toEqual(["create the MergeProtection component with vauntico:mergeProtection"]);
    });
});
