import type { ParseArgsOptionsConfig } from "node:util";

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

const reportFlags = {
    stack: stackFlag,
    deliver: "status: deliver the update to slack, github (the stack's pinned tracking issue), or both (slack,github)",
    repo: "status --deliver github, metrics: the repository, owner/name (default GITHUB_REPOSITORY)",
    history: "metrics: the recorded blocker-issue history as a JSON file (phase moves, acceptances and sign-offs come from the stack's ledger)",
    json: "metrics: JSON instead of Markdown",
};

/** A report kind, run by `cli/report.ts` (which checks which kind takes which flag). */
function report(kind: string, description: string): CommandEntry {
    return {
        description,
        flags: reportFlags,
        load: async () => {
            const { main, reportOptions } = await import("./report.js");
            return { options: reportOptions, run: (argv) => main([kind, ...argv]) };
        },
    };
}

/** `npm run report -- <kind>`: reports are pure functions of the plan. To add a kind: one entry here, its renderer in `reportKinds` of `cli/report.ts`. */
export const reportKinds: ReadonlyMap<string, CommandEntry> = new Map<string, CommandEntry>([
    ["secrets", report("secrets", "the protocol's SECRETS_GENERATION_REPORT.md (names, entropy, encoding, rotation, targets — never values)")],
    [
        "monitoring",
        report(
            "monitoring",
            "the alert rules (signal, threshold, pending period, severity, who is notified at each level), the policy tree, dashboards and Sentry projects",
        ),
    ],
    ["handoff", report("handoff", "the Handoff Tracking Matrix with each phase's live state, per-phase items and artifacts, the checklist")],
    ["blockers", report("blockers", "one Blocker Report per mandatory violation (stable ID, severity, phase, team, escalation level, fix)")],
    ["status", report("status", "the deployment status update: phase, blockers, open manual items, next steps, escalation path (--deliver slack,github)")],
    [
        "revenue",
        report("revenue", "the revenue activation summary: payment mode, endpoints, revenue dashboard and alert, activation time, phase-5 gates and items"),
    ],
    [
        "metrics",
        report("metrics", "the protocol's success metrics from the blocker history (--history FILE or --repo) and the stack's ledger, Markdown or --json"),
    ],
]);

/** `npm run blockers -- <verb>`: blocker issues on GitHub. To add a verb: one entry here. */
export const blockerVerbs: ReadonlyMap<string, CommandEntry> = new Map<string, CommandEntry>([
    [
        "sync",
        {
            description: "the stack's blocker issues brought in line with the gates' verdicts; exit 1 while blockers are open",
            flags: {
                stack: stackFlag,
                repo: "the repository, owner/name (default GITHUB_REPOSITORY)",
                preview: "a `pulumi preview --refresh --json` output file: drift and live gate violations join the verdicts",
                slack: "post one Slack message when blockers were opened or reopened",
            },
            load: async () => {
                const { syncCommand, syncOptions } = await import("./blockers/syncCommand.js");
                return { options: syncOptions, run: (argv) => syncCommand(argv) };
            },
        },
    ],
    [
        "escalate",
        {
            description: "each open blocker announced once at every escalation level its age has reached",
            flags: { stack: stackFlag, repo: "the repository, owner/name (default GITHUB_REPOSITORY)" },
            load: async () => {
                const { escalateCommand, escalateOptions } = await import("./blockers/escalateCommand.js");
                return { options: escalateOptions, run: (argv) => escalateCommand(argv) };
            },
        },
    ],
]);

const recordByFlag = "with --record: your GitHub login, put in the printed sign lines (a placeholder otherwise)";

/** `npm run validate -- <kind>`: checks that live endpoints behave as the protocol asks. To add a kind: one entry here. */
export const validations: ReadonlyMap<string, CommandEntry> = new Map<string, CommandEntry>([
    [
        "webhooks",
        {
            description: "phase 2: signed test events (expect 2xx) and forged, stale and unsigned requests (expect 4xx) to every webhook endpoint of the stack",
            flags: {
                stack: stackFlag,
                provider: "stripe or paystack: check one endpoint given by --url instead of the stack's",
                url: "the endpoint to check (with --provider)",
                record: "write the report to handoff/evidence/ and print the `npm run handoff -- sign …` lines it answers",
                by: recordByFlag,
            },
            load: async () => {
                const { webhooksCommand, webhooksOptions } = await import("./validate/webhooks.js");
                return { options: webhooksOptions, run: (argv) => webhooksCommand(argv) };
            },
        },
    ],
    [
        "monitoring",
        {
            description:
                "phases 2 and 4, live against the stack's Grafana: dashboards at the version the stack wrote, panel queries with data, alert rules present and healthy",
            flags: {
                stack: stackFlag,
                "send-test-notifications": "also send a test through each Slack and email integration (read-only otherwise)",
                record: "write the report to handoff/evidence/ and print the `npm run handoff -- sign …` lines it answers",
                by: recordByFlag,
            },
            load: async () => {
                const { monitoringCommand, monitoringOptions } = await import("./validate/monitoring.js");
                return { options: monitoringOptions, run: (argv) => monitoringCommand(argv) };
            },
        },
    ],
    [
        "first-payment",
        {
            description: "phase 5: the first live payment since activation and its event's delivery to the stack's Stripe endpoint",
            flags: {
                stack: stackFlag,
                since: "activation time, ISO 8601 (else REVENUE_ACTIVATED_AT, else the stack output)",
                url: "the webhook endpoint (else vauntico:payments.stripe.webhookUrl)",
            },
            load: async () => {
                const { firstPaymentCommand, firstPaymentOptions } = await import("./validate/firstPayment.js");
                return { options: firstPaymentOptions, run: (argv) => firstPaymentCommand(argv) };
            },
        },
    ],
]);

const byFlag = "your GitHub login (a member of the team the entry needs)";

/** `npm run handoff -- <verb>`: the handoff ledger (`handoff/`). To add a verb: one entry here. */
export const handoffVerbs: ReadonlyMap<string, CommandEntry> = new Map<string, CommandEntry>([
    [
        "sign",
        {
            description: "signs a manual item off (a sign-off entry), with its evidence",
            positionals: [{ name: "item-id", description: "the manual item's id, e.g. p2.alerting-tested" }],
            flags: {
                stack: stackFlag,
                by: byFlag,
                evidence: "an evidence URL, or a file under handoff/evidence/ (hashed into the entry)",
                note: "a note kept with the entry",
            },
            load: async () => {
                const { sign, signOptions } = await import("./handoff/sign.js");
                return { options: signOptions, run: sign };
            },
        },
    ],
    [
        "accept",
        {
            description: "records the receiving team's acceptance of a phase (an acceptance entry)",
            positionals: [{ name: "phase", description: "the phase number, 1 to 5" }],
            flags: {
                stack: stackFlag,
                by: byFlag,
                score: "the acceptance score, 1 to 5",
                meeting: "the handoff meeting's date, YYYY-MM-DD or an ISO time (with --attendees)",
                attendees: "who attended, comma-separated logins (with --meeting)",
                note: "a note kept with the entry",
            },
            load: async () => {
                const { accept, acceptOptions } = await import("./handoff/accept.js");
                return { options: acceptOptions, run: accept };
            },
        },
    ],
    [
        "waive",
        {
            description: "waives one gate's mandatory violation on one resource until a time (a waiver entry)",
            positionals: [{ name: "gate-id", description: "the gate waived" }],
            flags: {
                stack: stackFlag,
                resource: "the resource whose violation the waiver covers",
                reason: "why",
                by: byFlag,
                expires: "when the waiver ends, ISO 8601",
                blocker: "the blocker ID the waiver answers",
            },
            load: async () => {
                const { waive, waiveOptions } = await import("./handoff/waive.js");
                return { options: waiveOptions, run: waive };
            },
        },
    ],
    [
        "advance",
        {
            description: "moves the stack to the next phase (a phase-move entry)",
            flags: { stack: stackFlag, by: byFlag, note: "a note kept with the entry" },
            load: async () => {
                const { advance, advanceOptions } = await import("./handoff/move.js");
                return { options: advanceOptions, run: advance };
            },
        },
    ],
    [
        "rollback",
        {
            description: "moves the stack back a phase, seconded (a phase-move entry)",
            positionals: [{ name: "phase", description: "the phase to return to" }],
            flags: { stack: stackFlag, by: byFlag, second: "the seconding login (the other team)", reason: "why" },
            load: async () => {
                const { rollback, rollbackOptions } = await import("./handoff/move.js");
                return { options: rollbackOptions, run: rollback };
            },
        },
    ],
    [
        "status",
        {
            description: "the ledger's state: signed, accepted, waived, current phase",
            flags: { stack: stackFlag, json: "print JSON" },
            load: async () => {
                const { status, statusOptions } = await import("./handoff/status.js");
                return { options: statusOptions, run: status };
            },
        },
    ],
]);

/** Every command, by the name its npm script and entry file (`cli/<name>.ts`) carry. */
export const commands: ReadonlyMap<string, Command> = new Map<string, Command>([
    [
        "preflight",
        {
            description:
                "runs the program for a stack offline under Pulumi's mocks, prints what `pulumi up` would register and what is secret, then runs the gates",
            flags: { stack: stackFlag, json: "print JSON: stack, phase, resources, outputs, verdicts, manual" },
            load: async () => {
                const { main, preflightOptions } = await import("./preflight.js");
                return { options: preflightOptions, run: main };
            },
        },
    ],
    ["report", { description: "writes one of the protocol's reports for a stack to stdout (Markdown)", verbName: "kind", verbs: reportKinds }],
    ["validate", { description: "checks live endpoints against the protocol; writes a Markdown report", verbName: "kind", verbs: validations }],
    ["handoff", { description: "the handoff ledger: sign-offs, acceptances, waivers, phase moves", verbName: "verb", verbs: handoffVerbs }],
    [
        "blockers",
        { description: "blocker issues on GitHub, kept in line with the gates and escalated on the protocol's clock", verbName: "verb", verbs: blockerVerbs },
    ],
    [
        "codeowners",
        {
            description: "writes .github/CODEOWNERS from vauntico:teams and github:owner of every stack file",
            flags: { check: "compare the committed file instead of writing it: exit 1 with the diff when they differ" },
            load: async () => {
                const { codeownersCommand, codeownersOptions } = await import("./codeowners.js");
                return { options: codeownersOptions, run: codeownersCommand };
            },
        },
    ],
    [
        "ledger-check",
        {
            description:
                "the handoff ledger is append-only: no entry of the base edited or deleted, no ledger file deleted, no id reused, no evidence file changed",
            flags: {
                base: "the ref to compare with (default: the pull request's base, else origin/main, else main)",
                head: "the ref to check (default: the working tree)",
                history: "check every commit of the first-parent line against its parent (an audit)",
            },
            load: async () => {
                const { ledgerCheckCommand, ledgerCheckOptions } = await import("./ledgerCheck.js");
                return { options: ledgerCheckOptions, run: ledgerCheckCommand };
            },
        },
    ],
]);
