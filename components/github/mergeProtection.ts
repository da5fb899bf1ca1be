import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

export interface MergeProtectionArgs {
    /** Repository name or node ID. */
    repository: pulumi.Input<string>;
    /** The branch to protect. Default `main`. */
    branch?: string;
    /** Status checks (CI job names) that must pass before merging; at least one. */
    requiredChecks: string[];
    /** Approving reviews required; 1 to 6. OpenSSF Scorecard's top Branch-Protection tier asks for ≥ 2. */
    requiredApprovals: number;
}

/** Approving reviews GitHub lets branch protection require. */
export const requiredApprovalsRange = { min: 1, max: 6 } as const;

/** Every reason the args are unacceptable; empty when they are fine. */
export function mergeProtectionProblems(args: Pick<MergeProtectionArgs, "requiredChecks" | "requiredApprovals">): string[] {
    const problems: string[] = [];
    if (args.requiredChecks.length === 0) problems.push("requiredChecks: none given; expected the CI jobs that must pass");
    const { min, max } = requiredApprovalsRange;
    if (!Number.isInteger(args.requiredApprovals) || args.requiredApprovals < min || args.requiredApprovals > max) {
        problems.push(`requiredApprovals: ${args.requiredApprovals} given; expected a whole number from ${min} to ${max}`);
    }
    return problems;
}

/**
 * Merge protection of the default branch.
 *
 * Classic branch protection rather than a repository ruleset: it has a first-class `enforceAdmins` switch
 * (a ruleset expresses "no admin bypass" only as the absence of bypass actors, which the provider cannot
 * distinguish from "not managed"), and OpenSSF Scorecard's Branch-Protection check reads every field used
 * here from the classic API — including admin enforcement, which it cannot read from rulesets without an
 * admin token.
 */
export class MergeProtection extends pulumi.ComponentResource {
    public static readonly type = "vauntico:github:MergeProtection";

    public readonly branch: string;

    constructor(name: string, args: MergeProtectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super(MergeProtection.type, name, {}, opts);
        const problems = mergeProtectionProblems(args);
        if (problems.length > 0) throw new pulumi.ResourceError(`Invalid merge protection: ${problems.join("; ")}`, this);
        this.branch = args.branch ?? "main";

        new github.BranchProtection(
            `${name}-${this.branch.replace(/[^A-Za-z0-9-]+/g, "-")}`,
            {
                repositoryId: args.repository,
                pattern: this.branch,
                enforceAdmins: true,
                requiredStatusChecks: [{ strict: true, contexts: [...args.requiredChecks] }],
                requiredPullRequestReviews: [
                    {
                        requiredApprovingReviewCount: args.requiredApprovals,
                        dismissStaleReviews: true,
                        requireCodeOwnerReviews: true,
                        requireLastPushApproval: true,
                    },
                ],
                requireConversationResolution: true,
                allowsForcePushes: false,
                allowsDeletions: false,
            },
            { parent: this },
        );

        this.registerOutputs({ branch: this.branch });
    }
}
