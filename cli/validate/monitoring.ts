import { parseArgs } from "node:util";
import { userinfoProblem } from "../../components/urls/index.js";
import type { ManualItemId } from "../../policy/protocol/types.js";
import { readStackFile } from "../plan/stackFile.js";
import { evidenceLines, recordEvidence, signerProblem } from "./evidence.js";
import { GrafanaApi, GrafanaAuthRefused, GrafanaUnreachable } from "./grafanaApi.js";
import { checkDashboard, checkRules, sendTestNotifications, type DashboardResult, type PanelResult } from "./monitoringChecks.js";
import { monitoringValidationReport, validationPassed, type MonitoringValidation } from "./monitoringReport.js";
import { monitoringTargets, type MonitoringTargets } from "./monitoringTargets.js";
import { processStackAccess, pulumiCli, type StackAccess } from "./stackAccess.js";

/** The token's environment variable (the provider's own); else `pulumi config get grafana:auth`. */
export const grafanaAuthEnv = "GRAFANA_AUTH";
const grafanaUrlKey = "grafana:url";
const grafanaAuthKey = "grafana:auth";

export const monitoringOptions = {
    stack: { type: "string", default: "prod" },
    "send-test-notifications": { type: "boolean", default: false },
    record: { type: "boolean", default: false },
    /** With --record: the login the printed sign lines name. */
    by: { type: "string" },
} as const;

export interface MonitoringDeps extends StackAccess {
    /** `pulumi stack export --stack S` (no secrets shown); undefined when unavailable. */
    stackExport(stack: string): Promise<string | undefined>;
    now(): Date;
}

export function defaultMonitoringDeps(): MonitoringDeps {
    return {
        ...processStackAccess(),
        stackExport: (stack) => pulumiCli(["stack", "export", "--stack", stack]),
        now: () => new Date(),
    };
}

/** The Grafana URL of the stack file: https (or http on loopback), no credentials in it. */
function grafanaUrlOf(deps: MonitoringDeps, stack: string): string {
    const url = readStackFile(deps.projectDir, stack).config[grafanaUrlKey];
    if (url === undefined) throw new Error(`${grafanaUrlKey} is not set in Pulumi.${stack}.yaml (pulumi config set ${grafanaUrlKey} https://…)`);
    if (!URL.canParse(url)) throw new Error(`${grafanaUrlKey}: not a URL`);
    const parsed = new URL(url);
    const credentials = userinfoProblem(url);
    if (credentials !== undefined) throw new Error(`${grafanaUrlKey}: ${credentials} (the token goes in ${grafanaAuthKey} or ${grafanaAuthEnv})`);
    const loopback = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost" || parsed.hostname === "[::1]";
    if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) throw new Error(`${grafanaUrlKey}: ${parsed.protocol}// is not https`);
    if (parsed.search !== "" || parsed.hash !== "") throw new Error(`${grafanaUrlKey}: has a query or fragment; give the Grafana base URL only`);
    return `${parsed.origin}${parsed.pathname}`;
}

async function runChecks(api: GrafanaApi, targets: MonitoringTargets, notify: boolean): Promise<Omit<MonitoringValidation, "grafanaUrl" | "stack">> {
    const dashboards: DashboardResult[] = [];
    const panels: PanelResult[] = [];
    for (const target of targets.dashboards) {
        const checked = await checkDashboard(api, target);
        dashboards.push(checked.dashboard);
        panels.push(...checked.panels);
    }
    const rules = await checkRules(api, targets.rules);
    const notifications = notify ? await sendTestNotifications(api, targets.contactPoints) : undefined;
    return { dashboards, panels, rules, notifications };
}

/** Which manual items a passing report answers, and why the others it touches are not signed from it. */
function answeredItems(validation: MonitoringValidation): { items: { id: ManualItemId; note?: string }[]; notAnswered: string[] } {
    const passed = (results: readonly { passed: boolean }[]) => results.length > 0 && results.every((r) => r.passed);
    const items: { id: ManualItemId; note?: string }[] = [];
    const notAnswered: string[] = [];
    if (passed(validation.dashboards) && passed(validation.panels)) items.push({ id: "p2.dashboards-verified" });
    else notAnswered.push("p2.dashboards-verified: not every dashboard and panel check passed");
    if (validation.notifications === undefined) {
        notAnswered.push("p2.alerting-tested: no test notification sent (run with --send-test-notifications)");
    } else if (passed(validation.notifications.filter((n) => n.tested)) && validation.notifications.every((n) => n.passed)) {
        const note = "after confirming the test messages arrived in Slack and by email";
        items.push({ id: "p2.alerting-tested", note }, { id: "p2.alert-setup-verification", note });
    } else {
        notAnswered.push("p2.alerting-tested: a test notification failed");
    }
    notAnswered.push("p4.alert-notifications-tested: not answered here: it needs the IRM escalation exercised, which this command never triggers");
    return { items, notAnswered };
}

/**
 * `npm run validate -- monitoring [--stack prod] [--send-test-notifications] [--record [--by LOGIN]]`: the live check of
 * phases 2 and 4 against the stack's Grafana. Read-only unless `--send-test-notifications`. Exit 0 when
 * every check passed, 1 when one failed, 2 when it could not run. The token is never printed.
 */
export async function monitoringCommand(argv: string[], deps: MonitoringDeps = defaultMonitoringDeps()): Promise<number> {
    const { values } = parseArgs({ args: argv, options: monitoringOptions, strict: true, allowPositionals: false });
    const cannotRun = (message: string): number => {
        deps.stderr(`validate monitoring: ${message}\n`);
        return 2;
    };
    const signer = signerProblem(values.by, values.record);
    if (signer !== undefined) return cannotRun(signer);
    const stack = values.stack;
    let url: string;
    try {
        url = grafanaUrlOf(deps, stack);
    } catch (error) {
        return cannotRun(error instanceof Error ? error.message : String(error));
    }
    const exported = await deps.stackExport(stack);
    if (exported === undefined) return cannotRun(`cannot read the state of stack ${stack}: run where \`pulumi stack export --stack ${stack}\` answers`);
    let targets: MonitoringTargets;
    try {
        targets = monitoringTargets(JSON.parse(exported));
    } catch (error) {
        return cannotRun(`stack ${stack}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (targets.dashboards.length === 0 && targets.rules.length === 0)
        return cannotRun(`stack ${stack} has no Grafana dashboard or alert rule in its state (set vauntico:monitoring and run pulumi up)`);
    const auth = deps.env[grafanaAuthEnv] || (await deps.configValue(stack, grafanaAuthKey));
    if (auth === undefined || auth === "")
        return cannotRun(`no Grafana token: set ${grafanaAuthEnv} or run where \`pulumi config get ${grafanaAuthKey} --stack ${stack}\` answers`);

    let validation: MonitoringValidation;
    try {
        validation = { grafanaUrl: url, stack, ...(await runChecks(new GrafanaApi(url, auth), targets, values["send-test-notifications"])) };
    } catch (error) {
        if (error instanceof GrafanaAuthRefused || error instanceof GrafanaUnreachable) return cannotRun(error.message);
        throw error;
    }
    const report = monitoringValidationReport(validation);
    deps.stdout(report);
    if (values.record) {
        const evidence = recordEvidence(deps.projectDir, "monitoring", report, deps.now());
        const { items, notAnswered } = answeredItems(validation);
        deps.stderr(evidenceLines(evidence, items, notAnswered, { by: values.by, stack }));
    }
    return validationPassed(validation) ? 0 : 1;
}
