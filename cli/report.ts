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

/** What a report is made from. Reports are pure: the same input gives the same bytes. */
export interface ReportInput {
    plan: Plan;
}

type ReportKind = (input: ReportInput) => string | Promise<string>;

/** `npm run report -- <kind>`: each kind is a pure function of its input. */
export const reportKinds: Record<string, ReportKind> = {
    secrets: ({ plan }) => secretsReport(plan),
    monitoring: ({ plan }) => monitoringReport(plan),
    handoff: async ({ plan }) => handoffReport(await gateReportInput(plan)),
    blockers: async ({ plan }) => blockersReport(await gateReportInput(plan)),
    status: async ({ plan }) => statusReport(await gateReportInput(plan)),
    revenue: async ({ plan }) => revenueReport(await gateReportInput(plan), revenueFacts(plan)),
    audit: ({ plan }) => auditReport({ stack: plan.stack, project: plan.project, ledger: ledgerView(planLedgerState(plan)) }),
};

export async function main(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        options: { stack: { type: "string", default: "prod" } },
        allowPositionals: true,
        strict: true,
    });
    const kind = positionals[0];
    const render = kind === undefined ? undefined : reportKinds[kind];
    if (!render) {
        process.stderr.write(`report: ${kind === undefined ? "no kind given" : `unknown kind ${kind}`}; expected one of: ${Object.keys(reportKinds).join(", ")}\n`);
        return 2;
    }
    try {
        const plan = await runPlan({ stack: values.stack });
        process.stdout.write(await render({ plan }));
        return 0;
    } catch (error) {
        if (error instanceof StackConfigError) {
            process.stderr.write(`report: stack ${values.stack}: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
        process.stderr.write(`report: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    });
}
