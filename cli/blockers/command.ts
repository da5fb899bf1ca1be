import * as fs from "node:fs";
import { parseStackConfig, StackConfigError, type StackConfig } from "../../stacks/config.js";
import { defaultIncidentAfterSeconds } from "../../components/grafana/alerting/escalation.js";
import { type GateReportInput, gateReportInput } from "../analyzer/index.js";
import { readStackFile, runPlan } from "../plan/index.js";
import { type Clock, systemClock } from "./clock.js";
import { type GitHubClient, type GitHubClientOptions, UsageError, defaultApiUrl, githubClient, parseRepo } from "./github.js";
import type { Repo } from "./issues.js";
import { type SlackOptions, type SlackSender, slackSender, slackWebhookUrl } from "./slack.js";
import type { EscalationPeople } from "./escalate.js";

/** What a blocker command takes from its surroundings; tests replace any of it. */
export interface CommandContext {
    env: NodeJS.ProcessEnv;
    clock: Clock;
    out: (text: string) => void;
    err: (text: string) => void;
    /** The gates' verdicts for a stack (default: the offline plan through the pack, as preflight). */
    gateInput: (stack: string) => Promise<{ input: GateReportInput; config: StackConfig }>;
    /** The stack's validated config without running the program. */
    stackConfig: (stack: string) => StackConfig;
    /** `pulumi config get` for the Slack URL fallback. */
    pulumiConfigGet?: (stack: string, key: string) => Promise<string | undefined>;
    github?: Pick<GitHubClientOptions, "throttle" | "retryAfterBaseValue">;
    slack?: SlackOptions;
}

export const defaultContext: CommandContext = {
    env: process.env,
    clock: systemClock,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    gateInput: async (stack) => {
        const plan = await runPlan({ stack, serializeDynamicProviders: false });
        return { input: await gateReportInput(plan), config: plan.stackConfig };
    },
    stackConfig: (stack) => {
        const file = readStackFile(process.cwd(), stack);
        return parseStackConfig(file.config, new Set(file.secretKeys));
    },
};

export function withDefaults(context: Partial<CommandContext>): CommandContext {
    return { ...defaultContext, ...context };
}

/** The GitHub client and repository from `--repo` (or `GITHUB_REPOSITORY`, as in Actions) and `GITHUB_TOKEN`. */
export function connect(context: CommandContext, repoFlag: string | undefined): { client: GitHubClient; repo: Repo } {
    const repoName = repoFlag ?? context.env["GITHUB_REPOSITORY"];
    if (repoName === undefined || repoName === "") throw new UsageError("--repo: missing; expected OWNER/NAME (or GITHUB_REPOSITORY in the environment)");
    const repo = parseRepo(repoName);
    const token = context.env["GITHUB_TOKEN"];
    if (token === undefined || token === "") throw new UsageError("GITHUB_TOKEN: missing; expected a token with issues: write on the repository");
    const baseUrl = context.env["GITHUB_API_URL"] || defaultApiUrl;
    if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`GITHUB_API_URL: expected an http(s) URL, got ${JSON.stringify(baseUrl)}`);
    const client = githubClient({ token, baseUrl, ...context.github, warn: (m) => context.err(`${m}\n`) });
    return { client, repo };
}

export async function slackFor(context: CommandContext, stack: string): Promise<SlackSender> {
    const url = await slackWebhookUrl(stack, context.env, context.pulumiConfigGet);
    return slackSender(url, context.slack);
}

/** Who the escalation levels mention, or a usage error naming the missing key. */
export function escalationPeople(config: StackConfig): EscalationPeople {
    if (!config.teams) throw new UsageError("vauntico:teams: missing; escalation needs each team's slug and lead (see Pulumi.prod.yaml)");
    if (!config.executives) throw new UsageError("vauntico:executives: missing; escalation level 3 needs the executives' GitHub logins");
    const minutes = config.monitoring?.alerting.escalation?.incidentAfterMinutes;
    return {
        organization: config.github.owner,
        teams: config.teams,
        executives: config.executives,
        incidentAfterSeconds: minutes === undefined ? defaultIncidentAfterSeconds : minutes * 60,
    };
}

export function readPreviewFile(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        throw new UsageError(`--preview: cannot read ${JSON.stringify(file)}; expected the file \`pulumi preview --json\` wrote`);
    }
}

/** Runs a verb's body with the exit-code map: usage and config errors 2, anything that stopped it 2. */
export async function runVerb(name: string, context: CommandContext, body: () => Promise<number>): Promise<number> {
    try {
        return await body();
    } catch (error) {
        const isArgumentError = error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("ERR_PARSE_ARGS");
        if (error instanceof UsageError || error instanceof StackConfigError || isArgumentError) {
            context.err(`blockers ${name}: ${error.message}\n`);
            return 2;
        }
        context.err(`blockers ${name}: could not run: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
    }
}
