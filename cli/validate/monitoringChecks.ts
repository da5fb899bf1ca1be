import { isRecord, numberOf, recordOf, recordsOf, stringOf } from "../../policy/gates/read.js";
import type { GrafanaApi } from "./grafanaApi.js";
import type { DashboardTarget, RuleTarget } from "./monitoringTargets.js";

export interface DashboardResult {
    uid: string;
    title: string;
    expectedVersion: number | undefined;
    liveVersion: number | undefined;
    passed: boolean;
    detail: string;
}

export interface PanelResult {
    dashboard: string;
    panel: string;
    refId: string;
    expr: string;
    passed: boolean;
    detail: string;
}

export interface RuleResult {
    group: string;
    name: string;
    state: string;
    passed: boolean;
    detail: string;
}

export interface NotificationResult {
    contactPoint: string;
    integration: string;
    /** false: not sent on purpose (an IRM integration would start an escalation). */
    tested: boolean;
    passed: boolean;
    detail: string;
}

/** Integrations a test notification is sent through; others are listed, not tested. */
export const testedIntegrationTypes = ["slack", "email"] as const;

const dashboardsPath = (uid: string) => `api/dashboards/uid/${encodeURIComponent(uid)}`;
export const grafanaPaths = {
    dsQuery: "api/ds/query",
    ruleStatuses: "api/prometheus/grafana/api/v1/rules",
    contactPoints: "api/v1/provisioning/contact-points",
    receiversTest: "api/alertmanager/grafana/config/api/v1/receivers/test",
};

function messageOf(body: unknown): string {
    const record = recordOf(body);
    return stringOf(record["message"]) ?? stringOf(record["msg"]) ?? stringOf(record["error"]) ?? "no message";
}

interface PanelQuery {
    panel: string;
    refId: string;
    expr: string;
    datasource: Record<string, unknown>;
}

/** Every Prometheus query of a dashboard model, rows' nested panels included. */
function panelQueries(model: Record<string, unknown>): PanelQuery[] {
    const panels = recordsOf(model["panels"]).flatMap((panel) => [panel, ...recordsOf(panel["panels"])]);
    return panels.flatMap((panel) =>
        recordsOf(panel["targets"]).flatMap((target) => {
            const expr = stringOf(target["expr"]);
            if (expr === undefined) return [];
            return [
                {
                    panel: stringOf(panel["title"]) ?? "(untitled)",
                    refId: stringOf(target["refId"]) ?? "A",
                    expr,
                    datasource: recordOf(target["datasource"] ?? panel["datasource"]),
                },
            ];
        }),
    );
}

/** Rows in a data-frame answer (Grafana's wire format: `frames[].data.values[column][row]`). */
function rowsOf(result: Record<string, unknown>): number {
    return recordsOf(result["frames"]).reduce((sum, frame) => {
        const values = recordOf(frame["data"])["values"];
        const first: unknown = Array.isArray(values) ? values[0] : undefined;
        return sum + (Array.isArray(first) ? first.length : 0);
    }, 0);
}

/** The dashboard exists with the stack's version, and each panel query returns data over the last hour. */
export async function checkDashboard(api: GrafanaApi, target: DashboardTarget): Promise<{ dashboard: DashboardResult; panels: PanelResult[] }> {
    const answer = await api.call("GET", dashboardsPath(target.uid));
    const base = { uid: target.uid, title: target.title, expectedVersion: target.version };
    if (answer.status === 404) return { dashboard: { ...base, liveVersion: undefined, passed: false, detail: "not found in Grafana (404)" }, panels: [] };
    if (answer.status !== 200)
        return {
            dashboard: { ...base, liveVersion: undefined, passed: false, detail: `Grafana answered ${answer.status}: ${messageOf(answer.body)}` },
            panels: [],
        };
    const model = recordOf(recordOf(answer.body)["dashboard"]);
    const liveVersion = numberOf(model["version"]) ?? numberOf(recordOf(recordOf(answer.body)["meta"])["version"]);
    const versionOk = target.version !== undefined && liveVersion === target.version;
    const detail =
        target.version === undefined
            ? "the stack state holds no version for it"
            : versionOk
              ? "as the stack last wrote it"
              : `version ${liveVersion ?? "unknown"} in Grafana, the stack wrote ${target.version}: changed outside the stack`;
    const panels: PanelResult[] = [];
    for (const query of panelQueries(model)) {
        const response = await api.call("POST", grafanaPaths.dsQuery, {
            body: {
                from: "now-1h",
                to: "now",
                queries: [
                    { refId: query.refId, datasource: query.datasource, expr: query.expr, range: true, instant: false, intervalMs: 60_000, maxDataPoints: 60 },
                ],
            },
        });
        const result = recordOf(recordOf(recordOf(response.body)["results"])[query.refId]);
        const error = stringOf(result["error"]);
        const rows = rowsOf(result);
        const passed = response.status === 200 && error === undefined && rows > 0;
        const why =
            response.status !== 200
                ? `query answered ${response.status}: ${error ?? messageOf(response.body)}`
                : error !== undefined
                  ? `query error: ${error}`
                  : rows === 0
                    ? "no data in the last hour"
                    : `${rows} points in the last hour`;
        panels.push({ dashboard: target.uid, panel: query.panel, refId: query.refId, expr: query.expr, passed, detail: why });
    }
    return { dashboard: { ...base, liveVersion, passed: versionOk, detail }, panels };
}

/** Every rule of the stack exists in Grafana's rule status list and is not in error or no-data. */
export async function checkRules(api: GrafanaApi, targets: readonly RuleTarget[]): Promise<RuleResult[]> {
    const answer = await api.call("GET", grafanaPaths.ruleStatuses);
    if (answer.status !== 200) {
        return targets.map((t) => ({
            group: t.group,
            name: t.name,
            state: "unknown",
            passed: false,
            detail: `rule statuses answered ${answer.status}: ${messageOf(answer.body)}`,
        }));
    }
    const groups = recordsOf(recordOf(recordOf(answer.body)["data"])["groups"]);
    return targets.map((target) => {
        const found = groups
            .filter((g) => g["name"] === target.group)
            .flatMap((g) => recordsOf(g["rules"]))
            .find((rule) => (stringOf(rule["uid"]) === undefined || rule["uid"] === target.uid) && rule["name"] === target.name);
        const base = { group: target.group, name: target.name };
        if (found === undefined) return { ...base, state: "missing", passed: false, detail: "not in Grafana's rule statuses" };
        const health = stringOf(found["health"]) ?? "unknown";
        const state = stringOf(found["state"]) ?? "unknown";
        if (target.paused) return { ...base, state: `${state} (paused)`, passed: true, detail: "paused by the stack (payments not live): not evaluated" };
        const lastError = stringOf(found["lastError"]);
        const bad = ["error", "nodata"].includes(health.toLowerCase()) || ["error", "nodata"].includes(state.toLowerCase());
        if (bad)
            return {
                ...base,
                state: `${state}, health ${health}`,
                passed: false,
                detail: lastError ? `last error: ${lastError}` : `health ${health}: the query returns no data or fails`,
            };
        return { ...base, state: `${state}, health ${health}`, passed: true, detail: state === "firing" ? "evaluating; firing now" : "evaluating" };
    });
}

/** A test notification through each Slack and email integration of each of the stack's contact points. */
export async function sendTestNotifications(api: GrafanaApi, contactPoints: readonly string[]): Promise<NotificationResult[]> {
    const listed = await api.call("GET", grafanaPaths.contactPoints);
    if (listed.status !== 200 || !Array.isArray(listed.body)) {
        return contactPoints.map((name) => ({
            contactPoint: name,
            integration: "—",
            tested: false,
            passed: false,
            detail: `contact points answered ${listed.status}: ${messageOf(listed.body)}`,
        }));
    }
    const integrations = listed.body.filter(isRecord);
    const results: NotificationResult[] = [];
    for (const name of contactPoints) {
        const own = integrations.filter((i) => i["name"] === name);
        if (own.length === 0) {
            results.push({ contactPoint: name, integration: "—", tested: false, passed: false, detail: "contact point not found in Grafana" });
            continue;
        }
        const testable = own.filter((i) => (testedIntegrationTypes as readonly string[]).includes(stringOf(i["type"]) ?? ""));
        for (const skipped of own.filter((i) => !testable.includes(i))) {
            results.push({
                contactPoint: name,
                integration: stringOf(skipped["type"]) ?? "?",
                tested: false,
                passed: true,
                detail: "not sent: a test through it would start an IRM escalation",
            });
        }
        if (testable.length === 0) continue;
        // Redacted secure settings are left out, so Grafana uses the integration's stored secret (by uid).
        const configs = testable.map((i) => ({
            uid: stringOf(i["uid"]) ?? "",
            name,
            type: stringOf(i["type"]) ?? "",
            disableResolveMessage: i["disableResolveMessage"] === true,
            settings: Object.fromEntries(Object.entries(recordOf(i["settings"])).filter(([, v]) => v !== "[REDACTED]")),
        }));
        const answer = await api.call("POST", grafanaPaths.receiversTest, {
            body: {
                receivers: [{ name, grafana_managed_receiver_configs: configs }],
                alert: {
                    labels: { alertname: "VaunticoValidateMonitoring", signal: "test" },
                    annotations: { summary: "Test notification from `npm run validate -- monitoring --send-test-notifications`." },
                },
            },
        });
        const reported = recordsOf(recordOf(answer.body)["receivers"]).flatMap((r) => recordsOf(r["grafana_managed_receiver_configs"]));
        for (const config of configs) {
            const outcome = reported.find((r) => r["uid"] === config.uid);
            const status = stringOf(outcome?.["status"]);
            const passed = (answer.status === 200 || answer.status === 207) && status === "ok";
            const detail =
                outcome === undefined
                    ? `receiver test answered ${answer.status}: ${messageOf(answer.body)}`
                    : passed
                      ? "Grafana delivered it to the integration"
                      : `failed: ${stringOf(outcome["error"]) ?? status ?? "unknown"}`;
            results.push({ contactPoint: name, integration: config.type, tested: true, passed, detail });
        }
    }
    return results;
}
