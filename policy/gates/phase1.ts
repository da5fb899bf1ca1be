import * as github from "@pulumi/github";
import { validateResourceOfType } from "@pulumi/policy";
import * as random from "@pulumi/random";
import { minimumSecretBits } from "../protocol/index.js";
import type { ResourceGate, StackGate } from "./gate.js";
import { violationMessage } from "./gate.js";
import { presenceGate } from "./presence.js";
import { recordOf, stringOf } from "./read.js";
import { deliveredSecrets } from "./stackResources.js";

const secretsReport = "SECRETS_GENERATION_REPORT.md";

export const secretStrength: ResourceGate = {
    kind: "resource",
    id: "p1-secret-strength",
    description: `Every generated secret has at least ${minimumSecretBits} bits of entropy and carries its name and rotation epoch.`,
    phase: 1,
    criterion: "Secrets properly formatted and secure",
    owner: "Kilo",
    artifact: secretsReport,
    severity: "critical",
    blockerCategory: "Security vulnerabilities",
    validateResource: () =>
        validateResourceOfType(random.RandomBytes, (secret, args, reportViolation) => {
            const keepers = recordOf(secret.keepers);
            const name = stringOf(keepers["name"]);
            const label = name ?? args.name;
            const bits = secret.length * 8;
            if (!Number.isInteger(secret.length) || bits < minimumSecretBits) {
                reportViolation(
                    violationMessage(
                        secretStrength,
                        `secret ${label} is ${secret.length} bytes (${bits} bits), below ${minimumSecretBits} bits`,
                        `set its "bytes" in vauntico:secrets to at least ${minimumSecretBits / 8}`,
                    ),
                );
            }
            if (name === undefined) {
                reportViolation(
                    violationMessage(
                        secretStrength,
                        `random bytes ${args.name} carry no keepers.name, so no environment secret can be matched to them`,
                        "generate secrets through the DeploymentSecrets component, which keys each by its name",
                    ),
                );
            }
            if (stringOf(keepers["rotation"]) === undefined) {
                reportViolation(
                    violationMessage(
                        secretStrength,
                        `secret ${label} carries no keepers.rotation epoch, so it cannot be rotated`,
                        "generate secrets through the DeploymentSecrets component, which sets the rotation epoch",
                    ),
                );
            }
        }),
};

export const secretsGenerated: StackGate = {
    kind: "stack",
    id: "p1-secrets-generated",
    description: "Every secret declared in vauntico:secrets is generated in the stack, and there is at least one.",
    phase: 1,
    criterion: "All secrets generated and documented",
    owner: "Kilo",
    artifact: secretsReport,
    severity: "critical",
    blockerCategory: "Security vulnerabilities",
    validateStack: (context) => (args, reportViolation) => {
        const generated = new Set<string>();
        for (const resource of args.resources) {
            const secret = resource.asType(random.RandomBytes);
            const name = secret ? stringOf(recordOf(secret.keepers)["name"]) : undefined;
            if (name !== undefined) generated.add(name);
        }
        if (generated.size === 0) {
            reportViolation(
                violationMessage(
                    secretsGenerated,
                    "no generated secrets in the stack",
                    "declare the deployment's secrets in vauntico:secrets and create the DeploymentSecrets component",
                ),
            );
        }
        for (const name of context.declaredSecrets) {
            if (!generated.has(name)) {
                reportViolation(
                    violationMessage(
                        secretsGenerated,
                        `secret ${name} is declared in vauntico:secrets but not generated`,
                        "pass every declared secret to the DeploymentSecrets component",
                    ),
                );
            }
        }
    },
};

export const secretsDelivered: StackGate = {
    kind: "stack",
    id: "p1-secrets-delivered",
    description: "Every generated secret is delivered exactly once to the production environment as an environment secret.",
    phase: 1,
    criterion: "Environment variables configured and tested",
    owner: "Kilo",
    artifact: "Environment configuration files",
    severity: "critical",
    blockerCategory: "Security vulnerabilities",
    validateStack: (context) => (args, reportViolation) => {
        const delivered = deliveredSecrets(args.resources, context.environmentName);
        let generatedCount = 0;
        for (const resource of args.resources) {
            const secret = resource.asType(random.RandomBytes);
            if (!secret) continue;
            generatedCount++;
            const name = stringOf(recordOf(secret.keepers)["name"]);
            if (name === undefined) continue;
            const deliveries = delivered.get(name)?.length ?? 0;
            if (deliveries !== 1) {
                reportViolation(
                    violationMessage(
                        secretsDelivered,
                        `secret ${name} is delivered ${deliveries} times to the "${context.environmentName}" environment; expected exactly once`,
                        `deliver it once as the environment secret ${name} of "${context.environmentName}" (ProductionEnvironment's secrets)`,
                    ),
                    resource.urn,
                );
            }
        }
        if (generatedCount === 0) {
            reportViolation(
                violationMessage(
                    secretsDelivered,
                    "no generated secrets to deliver",
                    "declare the deployment's secrets in vauntico:secrets and deliver them to the production environment",
                ),
            );
        }
    },
};

export const productionEnvironment: ResourceGate = {
    kind: "resource",
    id: "p1-production-environment",
    description: "The production environment requires a reviewer, forbids admin bypass and self-review, and deploys from protected branches only.",
    phase: 1,
    criterion: "Environment variables configured and tested",
    owner: "Kilo",
    artifact: "Environment configuration files",
    severity: "high",
    blockerCategory: "Security vulnerabilities",
    validateResource: (context) =>
        validateResourceOfType(github.RepositoryEnvironment, (environment, _args, reportViolation) => {
            if (environment.environment !== context.environmentName) return;
            const report = (problem: string, fix: string): void => reportViolation(violationMessage(productionEnvironment, problem, fix));
            const reviewerCount = (environment.reviewers ?? []).reduce((sum, r) => sum + (r.teams?.length ?? 0) + (r.users?.length ?? 0), 0);
            if (reviewerCount < 1) {
                report(
                    `environment "${environment.environment}" has no required reviewer`,
                    "list at least one team or user under vauntico:environment.reviewers",
                );
            }
            if (environment.canAdminsBypass !== false) {
                report(`environment "${environment.environment}" lets administrators bypass its protection rules`, "set canAdminsBypass to false");
            }
            if (environment.preventSelfReview !== true) {
                report(`environment "${environment.environment}" lets the person who triggered a deployment approve it`, "set preventSelfReview to true");
            }
            const branchPolicy = environment.deploymentBranchPolicy;
            if (branchPolicy?.protectedBranches !== true || branchPolicy.customBranchPolicies !== false) {
                report(
                    `environment "${environment.environment}" accepts deployments from unprotected branches`,
                    "set deploymentBranchPolicy to { protectedBranches: true, customBranchPolicies: false }",
                );
            }
        }),
};

export const productionEnvironmentPresent: StackGate = presenceGate(
    productionEnvironment,
    {
        id: "p1-production-environment-present",
        description: "The stack manages the production GitHub environment.",
    },
    (context) => ({
        what: `GitHub environment "${context.environmentName}"`,
        found: (resource) => resource.asType(github.RepositoryEnvironment)?.environment === context.environmentName,
        fix: "create the ProductionEnvironment component with vauntico:environment",
    }),
);

export const defaultBranchProtection: ResourceGate = {
    kind: "resource",
    id: "p1-default-branch-protection",
    description:
        "The default branch requires the configured status checks and approving reviews, dismisses stale reviews, and forbids force pushes and deletion.",
    phase: 1,
    criterion: "PR #7 ready for merge with passing CI checks",
    owner: "Kilo",
    artifact: "PR #7 merge approval",
    severity: "critical",
    blockerCategory: "Security vulnerabilities",
    validateResource: (context) =>
        validateResourceOfType(github.BranchProtection, (protection, _args, reportViolation) => {
            if (protection.pattern !== context.defaultBranch) return;
            const branch = protection.pattern;
            const report = (problem: string, fix: string): void => reportViolation(violationMessage(defaultBranchProtection, problem, fix));
            if (protection.enforceAdmins !== true) report(`branch ${branch} lets administrators skip its protection`, "set enforceAdmins to true");
            const checks = protection.requiredStatusChecks?.[0];
            const contexts = checks?.contexts ?? [];
            if (contexts.length === 0) {
                report(`branch ${branch} requires no status checks`, "list the CI jobs under vauntico:mergeProtection.requiredChecks");
            }
            const missing = context.requiredChecks.filter((c) => !contexts.includes(c));
            if (missing.length > 0) {
                report(
                    `branch ${branch} does not require the configured status checks ${missing.join(", ")}`,
                    "pass vauntico:mergeProtection.requiredChecks to MergeProtection",
                );
            }
            if (checks !== undefined && checks.strict !== true) {
                report(`branch ${branch} does not require branches to be up to date before merging`, "set requiredStatusChecks[0].strict to true");
            }
            const reviews = protection.requiredPullRequestReviews?.[0];
            const approvals = reviews?.requiredApprovingReviewCount ?? 0;
            if (approvals < context.requiredApprovals) {
                report(
                    `branch ${branch} requires ${approvals} approving reviews; at least ${context.requiredApprovals} required`,
                    "set vauntico:mergeProtection.requiredApprovals to 1 or more",
                );
            }
            if (reviews?.dismissStaleReviews !== true) report(`branch ${branch} keeps approvals after new commits`, "set dismissStaleReviews to true");
            if (reviews?.requireCodeOwnerReviews !== true) report(`branch ${branch} does not require code owner review`, "set requireCodeOwnerReviews to true");
            if (reviews?.requireLastPushApproval !== true)
                report(`branch ${branch} lets the last pusher approve their own push`, "set requireLastPushApproval to true");
            if (protection.requireConversationResolution !== true)
                report(`branch ${branch} merges with unresolved review conversations`, "set requireConversationResolution to true");
            if (protection.allowsForcePushes !== false) report(`branch ${branch} allows force pushes`, "set allowsForcePushes to false");
            if (protection.allowsDeletions !== false) report(`branch ${branch} can be deleted`, "set allowsDeletions to false");
        }),
};

export const defaultBranchProtectionPresent: StackGate = presenceGate(
    defaultBranchProtection,
    {
        id: "p1-default-branch-protection-present",
        description: "The stack protects the default branch.",
    },
    (context) => ({
        what: `branch protection for ${context.defaultBranch}`,
        found: (resource) => resource.asType(github.BranchProtection)?.pattern === context.defaultBranch,
        fix: "create the MergeProtection component with vauntico:mergeProtection",
    }),
);

export const phase1Gates = [
    secretsGenerated,
    secretStrength,
    secretsDelivered,
    productionEnvironment,
    productionEnvironmentPresent,
    defaultBranchProtection,
    defaultBranchProtectionPresent,
] as const;
