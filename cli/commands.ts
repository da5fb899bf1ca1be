import type { ParseArgsOptionsConfig } from "node:util";
import type { ReportInput } from "./report.js";

/**
 * The command table: every command and verb, its description, positional arguments and flags. `--help` for
 * each is generated from it (`cli/help.ts`) and the dispatcher (`cli/dispatch.ts`) checks arguments against
 * it, so nothing here is written twice. Modules load lazily: the table itself must stay cheap to import,
 * because `preflight` launches the policy pack before it loads anything heavy.
 */

/** What a command's module gives the dispatcher: its `node:util` `parseArgs` options and its run function. */
export interface CommandModule {
    options: ParseArgsOptionsConfig;
    /** Parses its own arguments (`strict: true`) and returns an exit code (`cli/exitCodes.ts`). */
    run(argv: string[]): Promise<number>;
}

export interface Positional {
    name: string;
    description: string;
}

/** A command or a verb that runs. */
export interface CommandEntry {
    description: string;
    /** Positional arguments after the command (and verb), in order; more is a usage error. */
    positionals?: readonly Positional[];
    /** One line per option of the module's `options`, keyed by option name (a test checks none is missing). */
    flags: Readonly<Record<string, string>>;
    load(): Promise<CommandModule>;
}

/** A command whose first argument chooses a verb (`report <kind>`, `validate <kind>`, `handoff <verb>`). */
export interface CommandGroup {
    description: string;
    /** What the first argument is called in usage lines: `kind` or `verb`. */
    verbName: string;
    verbs: ReadonlyMap<string, CommandEntry>;
}

export type Command = CommandEntry | CommandGroup;

export function isGroup(command: Command): command is CommandGroup {
    return "verbs" in command;
}

const stackFlag = "the stack: reads Pulumi.<stack>.yaml";

/** A report kind: a pure function of the plan (same input, same bytes), run by `cli/report.ts`. */
export interface ReportEntry extends CommandEntry {
    render(input: ReportInput): Promise<string>;
}

function report(description: string, render: (input: ReportInput) => Promise<string>): ReportEntry {
    return {
        description,
        render,
        flags: { stack: stackFlag },
        load: async () => {
            const { reportModule } = await import("./report.js");
            return reportModule(render);
        },
    };
}

/** `npm run report -- <kind>`. To add a kind: one entry here. */
export const reportKinds: ReadonlyMap<string, ReportEntry> = new Map<string, ReportEntry>([
    ["secrets", report("the protocol's SECRETS_GENERATION_REPORT.md (names, entropy, encoding, rotation, targets — never values)", async ({ plan }) => {
        const { secretsReport } = await import("./reports/secrets.js");
        return secretsReport(plan);
    })],
    ["monitoring", report("the alert rules (signal, threshold, pending period, severity, who is notified at each level), the policy tree, dashboards and Sentry projects", async ({ plan }) => {
        const { monitoringReport } = await import("./reports/monitoring.js");
        return monitoringReport(plan);
    })],
    ["handoff", report("the Handoff Tracking Matrix with each phase's live state, per-phase items and artifacts, the checklist", async ({ plan }) => {
        const [{ handoffReport }, { gateReportInput }] = await Promise.all([import("./reports/handoff.js"), import("./analyzer/reportInput.js")]);
        return handoffReport(await gateReportInput(plan));
    })],
    ["blockers", report("one Blocker Report per mandatory violation (stable ID, severity, phase, team, escalation level, fix)", async ({ plan }) => {
        const [{ blockersReport }, { gateReportInput }] = await Promise.all([import("./reports/blockers.js"), import("./analyzer/reportInput.js")]);
        return blockersReport(await gateReportInput(plan));
    })],
    ["status", report("the deployment status update: phase, blockers, open manual items, next steps, escalation path", async ({ plan }) => {
        const [{ statusReport }, { gateReportInput }] = await Promise.all([import("./reports/status.js"), import("./analyzer/reportInput.js")]);
        return statusReport(await gateReportInput(plan));
    })],
    ["revenue", report("the revenue activation summary: payment mode, endpoints, revenue dashboard and alert, activation time, phase-5 gates and items", async ({ plan }) => {
        const [{ revenueFacts, revenueReport }, { gateReportInput }] = await Promise.all([import("./reports/revenue.js"), import("./analyzer/reportInput.js")]);
        return revenueReport(await gateReportInput(plan), revenueFacts(plan));
    })],
]);

/** `npm run validate -- <kind>`: checks that live endpoints behave as the protocol asks. To add a kind: one entry here. */
export const validations: ReadonlyMap<string, CommandEntry> = new Map<string, CommandEntry>([
    ["webhooks", {
        description: "phase 2: signed test events (expect 2xx) and forged, stale and unsigned requests (expect 4xx) to every webhook endpoint of the stack",
        flags: { stack: stackFlag, provider: "stripe or paystack: check one endpoint given by --url instead of the stack's", url: "the endpoint to check (with --provider)" },
        load: async () => {
            const { webhooksCommand, webhooksOptions } = await import("./validate/webhooks.js");
            return { options: webhooksOptions, run: (argv) => webhooksCommand(argv) };
        },
    }],
    ["first-payment", {
        description: "phase 5: the first live payment since activation and its event's delivery to the stack's Stripe endpoint",
        flags: { stack: stackFlag, since: "activation time, ISO 8601 (else REVENUE_ACTIVATED_AT, else the stack output)", url: "the webhook endpoint (else vauntico:payments.stripe.webhookUrl)" },
        load: async () => {
            const { firstPaymentCommand, firstPaymentOptions } = await import("./validate/firstPayment.js");
            return { options: firstPaymentOptions, run: (argv) => firstPaymentCommand(argv) };
        },
    }],
]);

/** Every command, by the name its npm script and entry file (`cli/<name>.ts`) carry. */
export const commands: ReadonlyMap<string, Command> = new Map<string, Command>([
    ["preflight", {
        description: "runs the program for a stack offline under Pulumi's mocks, prints what `pulumi up` would register and what is secret, then runs the gates",
        flags: { stack: stackFlag, json: "print JSON: stack, phase, resources, outputs, verdicts, manual" },
        load: async () => {
            const { main, preflightOptions } = await import("./preflight.js");
            return { options: preflightOptions, run: main };
        },
    }],
    ["report", { description: "writes one of the protocol's reports for a stack to stdout (Markdown)", verbName: "kind", verbs: reportKinds }],
    ["validate", { description: "checks live endpoints against the protocol; writes a Markdown report", verbName: "kind", verbs: validations }],
    ["codeowners", {
        description: "writes .github/CODEOWNERS from vauntico:teams and github:owner of every stack file",
        flags: { check: "compare the committed file instead of writing it: exit 1 with the diff when they differ" },
        load: async () => {
            const { codeownersCommand, codeownersOptions } = await import("./codeowners.js");
            return { options: codeownersOptions, run: codeownersCommand };
        },
    }],
    ["ledger-check", {
        description: "the handoff ledger is append-only: no entry of the base edited or deleted, no ledger file deleted, no id reused, no evidence file changed",
        flags: {
            base: "the ref to compare with (default: the pull request's base, else origin/main, else main)",
            head: "the ref to check (default: the working tree)",
            history: "check every commit of the first-parent line against its parent (an audit)",
        },
        load: async () => {
            const { ledgerCheckCommand, ledgerCheckOptions } = await import("./ledgerCheck.js");
            return { options: ledgerCheckOptions, run: ledgerCheckCommand };
        },
    }],
]);
