import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as limits from "./environmentLimits.js";

/** A secret to deliver to the environment. */
export interface EnvironmentSecret {
    /** Environment secret name, e.g. `JWT_SECRET`. */
    name: string;
    /** The value; always delivered as a Pulumi secret. */
    value: pulumi.Input<string>;
}

export interface ProductionEnvironmentArgs {
    /** Repository name (without the owner; the owner is the provider's `github:owner`). */
    repository: pulumi.Input<string>;
    /** Environment name. Default `production`. */
    environmentName?: string;
    /** Required reviewers: team slugs and user logins; at least one in all, at most six. */
    reviewers: { teams: string[]; users: string[] };
    /** Secrets delivered as environment secrets, each exactly once. */
    secrets: EnvironmentSecret[];
    /** Non-secret settings delivered as environment variables. Default none. */
    variables?: Record<string, pulumi.Input<string>>;
}

/** Every reason the environment's args are unacceptable; empty when they are fine. */
export function productionEnvironmentProblems(args: Pick<ProductionEnvironmentArgs, "reviewers" | "secrets" | "variables">): string[] {
    const problems: string[] = [];
    const reviewerCount = args.reviewers.teams.length + args.reviewers.users.length;
    if (reviewerCount < 1) problems.push("reviewers: none given; expected at least one team or user");
    if (reviewerCount > limits.maxEnvironmentReviewers)
        problems.push(`reviewers: ${reviewerCount} given; GitHub allows at most ${limits.maxEnvironmentReviewers}`);
    for (const repeat of limits.repeatedReviewers(args.reviewers)) {
        problems.push(`reviewers.${repeat.list}[${repeat.index}]: repeats ${repeat.list}[${repeat.first}] (GitHub compares names case-insensitively)`);
    }
    for (const repeat of limits.repeatedSecretNames(args.secrets.map((s) => s.name))) {
        problems.push(`secrets: ${args.secrets[repeat.index]?.name} given twice; each secret is delivered exactly once`);
    }
    if (args.secrets.length > limits.maxEnvironmentSecrets)
        problems.push(`secrets: ${args.secrets.length} given; GitHub allows at most ${limits.maxEnvironmentSecrets} per environment`);
    const variables = Object.entries(args.variables ?? {});
    if (variables.length > limits.maxEnvironmentVariables)
        problems.push(`variables: ${variables.length} given; GitHub allows at most ${limits.maxEnvironmentVariables} per environment`);
    for (const [name, value] of variables) {
        if (typeof value === "string" && limits.valueBytes(value) > limits.maxEnvironmentValueBytes) {
            problems.push(`variables.${name}: ${limits.valueBytes(value)} bytes; GitHub allows at most ${limits.maxEnvironmentValueBytes} (48 KB)`);
        }
    }
    return problems;
}

/**
 * The GitHub `production` environment: deployments wait for a required reviewer, admins cannot bypass that,
 * only protected branches may deploy, and the application's secrets and settings live in it.
 */
export class ProductionEnvironment extends pulumi.ComponentResource {
    public static readonly type = "vauntico:github:ProductionEnvironment";

    /** The environment's name, known once the environment exists (depend on it to deliver more secrets). */
    public readonly environmentName: pulumi.Output<string>;
    /** Names of the delivered environment secrets. */
    public readonly secretNames: string[];

    constructor(name: string, args: ProductionEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super(ProductionEnvironment.type, name, {}, opts);
        const problems = productionEnvironmentProblems(args);
        if (problems.length > 0) throw new pulumi.ResourceError(`Invalid production environment: ${problems.join("; ")}`, this);

        const teamIds = args.reviewers.teams.map((slug) => github.getTeamOutput({ slug, summaryOnly: true }, { parent: this }).id.apply(Number));
        const userIds = args.reviewers.users.map((username) => github.getUserOutput({ username }, { parent: this }).id.apply(Number));

        const environment = new github.RepositoryEnvironment(
            `${name}-environment`,
            {
                repository: args.repository,
                environment: args.environmentName ?? "production",
                reviewers: [{ teams: teamIds, users: userIds }],
                canAdminsBypass: false,
                preventSelfReview: true,
                deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
            },
            { parent: this },
        );
        this.environmentName = environment.environment;

        for (const secret of args.secrets) {
            new github.ActionsEnvironmentSecret(
                `${name}-secret-${secret.name.toLowerCase()}`,
                {
                    repository: args.repository,
                    environment: environment.environment,
                    secretName: secret.name,
                    plaintextValue: pulumi.secret(secret.value),
                },
                { parent: this },
            );
        }
        this.secretNames = args.secrets.map((s) => s.name);

        for (const [variableName, value] of Object.entries(args.variables ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
            new github.ActionsEnvironmentVariable(
                `${name}-variable-${variableName.toLowerCase()}`,
                {
                    repository: args.repository,
                    environment: environment.environment,
                    variableName,
                    value,
                },
                { parent: this },
            );
        }

        this.registerOutputs({ environmentName: this.environmentName, secretNames: this.secretNames });
    }
}
