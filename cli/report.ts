import { parseArgs } from "node:util";
import { StackConfigError } from "../stacks/config.js";
import { runPlan, type Plan } from "./plan/index.js";
import { monitoringReport } from "./reports/monitoring.js";
import { secretsReport } from "./reports/secrets.js";
import { gateReportInput } from "./analyzer/index.js";
import { blockersReport } from "./reports/blockers.js";
import { handoffReport } from "./reports/handoff.js";
import { revenueFacts, revenueReport } from "./reports/revenue.js";
import { statusReport } from "./reports/status.js";
import { auditReport } from "./reports/audit.js";
import { ledgerView, planLedgerState } from "./analyzer/ledger.js";
import { metricsJson, metricsMarkdown, measureMetrics } from "./reports/metrics.js";
import { blockerHistoryFromGitHub, metricsHistory, metricsInput, readMetricsHistory } from "./reports/metricsInput.js";
import { parseDeliver, postStatusComment, postStatusToSlack } from "./reports/statusDelivery.js";
import { type CommandContext, connect, slackFor, withDefaults } from "./blockers/command.js";
import { UsageError } from "./blockers/github.js";
import { runCommandProcess } from "./process.js";

/** What a report is made from. Reports are pure: the same input gives the same bytes. */
export interface ReportInput {
    plan: Plan;
    /** The command's flags (kinds that take flags read them here). */
    options?: ReportOptions;
    context?: CommandContext;
}

export const reportOptions = {
    stack: { type: "string", default: "prod" },
    /** status: deliver the update to `slack`, `github` (the stack's pinned tracking issue), or both. */
    deliver: { type: "string" },
    /** status --deliver github, metrics: the repository (default GITHUB_REPOSITORY). */
    repo: { type: "string" },
    /** metrics: the recorded blocker history as JSON (the ledger part is the stack's ledger). */
    history: { type: "string" },
    /** metrics: JSON instead of Markdown. */
    json: { type: "boolean", default: false },
} as const;

export interface ReportOptions {
    stack: string;
    deliver?: string | undefined;
    repo?: string | undefined;
    history?: string | undefined;
    json: boolean;
}

/** Which kinds take which of the flags beyond --stack. */
const kindFlags = new Map<string, readonly (keyof ReportOptions)[]>([
    ["status", ["deliver", "repo"]],
    ["metrics", ["repo", "history", "json"]],
]);

type ReportKind = (input: ReportInput) => string | Promise<string>;

/** `npm run report -- <kind>`: each kind is a pure function of its input. */
export const reportKinds: Record<string, ReportKind> = {
    metrics: async ({ plan, options = { stack: plan.stack, json: false }, context = withDefaults({}) }) => {
        const history = options.history === undefined ? metricsHistory.parse({}) : readMetricsHistory(options.history);
        const fromGitHub = options.repo === undefined ? undefined : connect(context, options.repo);
        const blockers = fromGitHub ? await blockerHistoryFromGitHub(fromGitHub.client, fromGitHub.repo, plan.stack) : history.blockers;
        const measured = measureMetrics(metricsInput(plan.stack, plan.phase, { ...history, blockers }, planLedgerState(plan)));
        return options.json ? metricsJson(measured) : metricsMarkdown(measured);
    },
    secrets: ({ plan }) => secretsReport(plan),
    monitoring: ({ plan }) => monitoringReport(plan),
    handoff: async ({ plan }) => handoffReport(await gateReportInput(plan)),
    blockers: async ({ plan }) => blockersReport(await gateReportInput(plan)),
    status: async ({ plan }) => statusReport(await gateReportInput(plan)),
    revenue: async ({ plan }) => revenueReport(await gateReportInput(plan), revenueFacts(plan)),
    audit: ({ plan }) => auditReport({ stack: plan.stack, project: plan.project, ledger: ledgerView(planLedgerState(plan)) }),
};

export async function main(argv: string[]): Promise<number> {
    return runReport(argv, withDefaults({}));
}

/** `report <kind>` with its surroundings given (tests pass doubles' URLs and a clock). */
export async function runReport(
    argv: string[],
    context: CommandContext,
    plan: (stack: string) => Promise<Plan> = (stack) => runPlan({ stack, serializeDynamicProviders: false }),
): Promise<number> {
    let values: ReportOptions;
    let positionals: string[];
    try {
        ({ values, positionals } = parseArgs({ args: argv, options: reportOptions, allowPositionals: true, strict: true }));
    } catch (error) {
        context.err(`report: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
    }
    const kind = positionals[0];
    const render = kind === undefined || !Object.hasOwn(reportKinds, kind) ? undefined : reportKinds[kind];
    if (!render || kind === undefined) {
        context.err(`report: ${kind === undefined ? "no kind given" : `unknown kind ${kind}`}; expected one of: ${Object.keys(reportKinds).join(", ")}\n`);
        return 2;
    }
    const allowed = kindFlags.get(kind) ?? [];
    const misplaced = (["deliver", "repo", "history", "json"] as const).filter(
        (flag) => values[flag] !== undefined && values[flag] !== false && !allowed.includes(flag),
    );
    if (misplaced.length > 0) {
        context.err(
            `report ${kind}: --${misplaced.join(", --")} does not apply; ${[...kindFlags].map(([k, flags]) => `${k} takes --${flags.join(", --")}`).join("; ")}\n`,
        );
        return 2;
    }
    try {
        const targets = values.deliver === undefined ? [] : parseDeliver(values.deliver);
        const github = targets.includes("github") ? connect(context, values.repo) : undefined;
        const slack = targets.includes("slack") ? await slackFor(context, values.stack) : undefined;
        const text = await render({ plan: await plan(values.stack), options: values, context });
        context.out(text);
        if (slack) {
            await postStatusToSlack(slack, text);
            context.err("report status: delivered to Slack\n");
        }
        if (github) {
            const posted = await postStatusComment(github.client, github.repo, values.stack, text, context.clock);
            context.err(`report status: tracking issue #${posted.issue}, today's comment ${posted.comment}\n`);
        }
        return 0;
    } catch (error) {
        if (error instanceof StackConfigError || error instanceof UsageError) {
            context.err(`report: stack ${values.stack}: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
}

if (require.main === module) runCommandProcess("report");
