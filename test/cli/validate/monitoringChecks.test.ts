import { describe, expect, it } from "vitest";
import { type ApiAnswer, GrafanaApi } from "../../../cli/validate/grafanaApi.js";
import { checkDashboard, checkRules, grafanaPaths, sendTestNotifications } from "../../../cli/validate/monitoringChecks.js";

// The checks against canned Grafana answers, in-process. The real HTTP boundary (the Grafana double, its
// OpenAPI checks, a plan's dashboards) is witnessed by monitoring.test.ts.

interface Call {
    method: string;
    path: string;
    body: unknown;
}

/** A GrafanaApi that answers from a table (path → answer, or a function of the request body) and records each call. */
class CannedGrafana extends GrafanaApi {
    readonly calls: Call[] = [];
    constructor(private readonly answers: Record<string, ApiAnswer | ((body: unknown) => ApiAnswer)>) {
        super("http://127.0.0.1:9", "token");
    }
    override async call(method: "GET" | "POST", path: string, options: { body?: unknown } = {}): Promise<ApiAnswer> {
        this.calls.push({ method, path, body: options.body });
        const answer = this.answers[path];
        if (answer === undefined) throw new Error(`unexpected ${method} ${path}`);
        return typeof answer === "function" ? answer(options.body) : answer;
    }
}

const target = { uid: "vauntico-payments", title: "Payments", version: 7 };
const dashboardPath = "api/dashboards/uid/vauntico-payments";

/** A data-frame answer for one query with `rows` points (one frame), or an error. */
function frames(refId: string, rows: number, error?: string): ApiAnswer {
    const result = {
        frames: [{ data: { values: [Array.from({ length: rows }, (_, i) => i), Array.from({ length: rows }, () => 1)] } }],
        ...(error ? { error } : {}),
    };
    return { status: 200, body: { results: { [refId]: result } } };
}

function dashboard(model: Record<string, unknown>, meta: Record<string, unknown> = {}): ApiAnswer {
    return { status: 200, body: { dashboard: model, meta } };
}

describe("checkDashboard: the dashboard and its version", () => {
    it("passes at the stack's version, from the model or else from meta", async () => {
        const fromModel = await checkDashboard(new CannedGrafana({ [dashboardPath]: dashboard({ version: 7 }) }), target);
        expect(fromModel.dashboard).toEqual({
            uid: target.uid,
            title: target.title,
            expectedVersion: 7,
            liveVersion: 7,
            passed: true,
            detail: "as the stack last wrote it",
        });
        const api = new CannedGrafana({ [dashboardPath]: dashboard({ version: 7 }) });
        await checkDashboard(api, target);
        expect(api.calls[0]).toMatchObject({ method: "GET", path: dashboardPath });
        const { dashboard: fromMeta } = await checkDashboard(new CannedGrafana({ [dashboardPath]: dashboard({}, { version: 7 }) }), target);
        expect(fromMeta).toMatchObject({ liveVersion: 7, passed: true });
    });

    it("fails at another version, or with no version known on either side", async () => {
        const other = await checkDashboard(new CannedGrafana({ [dashboardPath]: dashboard({ version: 8 }) }), target);
        expect(other.dashboard).toMatchObject({ liveVersion: 8, passed: false, detail: "version 8 in Grafana, the stack wrote 7: changed outside the stack" });
        const unknown = await checkDashboard(new CannedGrafana({ [dashboardPath]: dashboard({}) }), target);
        expect(unknown.dashboard).toMatchObject({
            liveVersion: undefined,
            passed: false,
            detail: "version unknown in Grafana, the stack wrote 7: changed outside the stack",
        });
        const unversioned = await checkDashboard(new CannedGrafana({ [dashboardPath]: dashboard({ version: 7 }) }), { ...target, version: undefined });
        expect(unversioned.dashboard).toMatchObject({ passed: false, detail: "the stack state holds no version for it" });
        // No version on either side is not a match.
        const neither = await checkDashboard(new CannedGrafana({ [dashboardPath]: dashboard({}) }), { ...target, version: undefined });
        expect(neither.dashboard).toMatchObject({ liveVersion: undefined, passed: false, detail: "the stack state holds no version for it" });
    });

    it("a 404 is 'not found'; another status names it with Grafana's message; neither queries panels", async () => {
        const missing = new CannedGrafana({ [dashboardPath]: { status: 404, body: { message: "Dashboard not found" } } });
        expect(await checkDashboard(missing, target)).toEqual({
            dashboard: {
                uid: target.uid,
                title: target.title,
                expectedVersion: 7,
                liveVersion: undefined,
                passed: false,
                detail: "not found in Grafana (404)",
            },
            panels: [],
        });
        for (const [body, message] of [
            [{ message: "boom" }, "boom"],
            [{ msg: "short" }, "short"],
            [{ error: "failed" }, "failed"],
            [{}, "no message"],
        ] as const) {
            const broken = new CannedGrafana({ [dashboardPath]: { status: 500, body } });
            const checked = await checkDashboard(broken, target);
            expect(checked.dashboard).toMatchObject({ passed: false, liveVersion: undefined, detail: `Grafana answered 500: ${message}` });
            expect(checked.panels).toEqual([]);
            expect(broken.calls).toHaveLength(1);
        }
    });
});

describe("checkDashboard: each panel query over the last hour", () => {
    const model = {
        version: 7,
        panels: [
            { title: "Deliveries", datasource: { uid: "prom" }, targets: [{ refId: "A", expr: "sum(a)" }, { refId: "B" }] },
            { type: "row", panels: [{ title: "Nested", targets: [{ expr: "sum(b)", datasource: { uid: "other" } }] }] },
            { targets: [{ refId: "C", expr: "sum(c)" }] },
        ],
    };

    it("queries every Prometheus target, nested ones included, with the panel's or the target's data source", async () => {
        const api = new CannedGrafana({ [dashboardPath]: dashboard(model), [grafanaPaths.dsQuery]: (body) => frames(queryOf(body).refId, 3) });
        const { panels } = await checkDashboard(api, target);
        expect(panels).toEqual([
            { dashboard: "vauntico-payments", panel: "Deliveries", refId: "A", expr: "sum(a)", passed: true, detail: "3 points in the last hour" },
            { dashboard: "vauntico-payments", panel: "Nested", refId: "A", expr: "sum(b)", passed: true, detail: "3 points in the last hour" },
            { dashboard: "vauntico-payments", panel: "(untitled)", refId: "C", expr: "sum(c)", passed: true, detail: "3 points in the last hour" },
        ]);
        const queries = api.calls.filter((c) => c.path === grafanaPaths.dsQuery);
        expect(queries.map((c) => c.method)).toEqual(["POST", "POST", "POST"]);
        expect(queries[0]?.body).toEqual({
            from: "now-1h",
            to: "now",
            queries: [{ refId: "A", datasource: { uid: "prom" }, expr: "sum(a)", range: true, instant: false, intervalMs: 60_000, maxDataPoints: 60 }],
        });
        expect(queryOf(queries[1]?.body).datasource).toEqual({ uid: "other" });
        expect(queryOf(queries[2]?.body).datasource).toEqual({});
    });

    it("counts rows over every frame; one row passes, none fails", async () => {
        const oneRow = { [dashboardPath]: dashboard({ version: 7, panels: [model.panels[0]] }), [grafanaPaths.dsQuery]: frames("A", 1) };
        expect((await checkDashboard(new CannedGrafana(oneRow), target)).panels[0]).toMatchObject({ passed: true, detail: "1 points in the last hour" });
        const twoFrames: ApiAnswer = {
            status: 200,
            body: {
                results: {
                    A: { frames: [{ data: { values: [[1, 2]] } }, { data: { values: [[3]] } }, { data: { values: "x" } }, { data: { values: ["x"] } }] },
                },
            },
        };
        const summed = new CannedGrafana({ ...oneRow, [grafanaPaths.dsQuery]: twoFrames });
        expect((await checkDashboard(summed, target)).panels[0]).toMatchObject({ passed: true, detail: "3 points in the last hour" });
        const empty = new CannedGrafana({ ...oneRow, [grafanaPaths.dsQuery]: frames("A", 0) });
        expect((await checkDashboard(empty, target)).panels[0]).toMatchObject({ passed: false, detail: "no data in the last hour" });
    });

    it("a query error fails the panel even with rows; a non-200 names the status and the error or message", async () => {
        const base = { [dashboardPath]: dashboard({ version: 7, panels: [model.panels[0]] }) };
        const errored = new CannedGrafana({ ...base, [grafanaPaths.dsQuery]: frames("A", 5, "parse error") });
        expect((await checkDashboard(errored, target)).panels[0]).toMatchObject({ passed: false, detail: "query error: parse error" });
        const refusedWithError = new CannedGrafana({ ...base, [grafanaPaths.dsQuery]: { ...frames("A", 5, "bad query"), status: 400 } });
        expect((await checkDashboard(refusedWithError, target)).panels[0]).toMatchObject({ passed: false, detail: "query answered 400: bad query" });
        const refused = new CannedGrafana({ ...base, [grafanaPaths.dsQuery]: { status: 500, body: { message: "datasource down" } } });
        expect((await checkDashboard(refused, target)).panels[0]).toMatchObject({ passed: false, detail: "query answered 500: datasource down" });
        const rowsButNot200 = new CannedGrafana({ ...base, [grafanaPaths.dsQuery]: { ...frames("A", 5), status: 207 } });
        expect((await checkDashboard(rowsButNot200, target)).panels[0]).toMatchObject({ passed: false });
    });
});

function queryOf(body: unknown): { refId: string; datasource: unknown } {
    const queries = typeof body === "object" && body !== null && "queries" in body && Array.isArray(body.queries) ? body.queries : [];
    const query: unknown = queries[0];
    if (typeof query !== "object" || query === null || !("refId" in query) || typeof query.refId !== "string") throw new Error("no query");
    return { refId: query.refId, datasource: "datasource" in query ? query.datasource : undefined };
}

describe("checkRules", () => {
    const failureRatio = { group: "payments", name: "Failure ratio", uid: "r1", paused: false };
    const targets = [failureRatio, { group: "payments", name: "No payment", uid: "r2", paused: true }];
    const statuses = (rules: Record<string, unknown>[], group = "payments"): ApiAnswer => ({
        status: 200,
        body: { status: "success", data: { groups: [{ name: group, rules }] } },
    });

    it("a healthy rule passes, firing or not; a paused one passes unevaluated", async () => {
        const api = new CannedGrafana({
            [grafanaPaths.ruleStatuses]: statuses([
                { uid: "r1", name: "Failure ratio", health: "ok", state: "inactive" },
                { uid: "r2", name: "No payment", health: "nodata", state: "nodata" },
            ]),
        });
        expect(await checkRules(api, targets)).toEqual([
            { group: "payments", name: "Failure ratio", state: "inactive, health ok", passed: true, detail: "evaluating" },
            { group: "payments", name: "No payment", state: "nodata (paused)", passed: true, detail: "paused by the stack (payments not live): not evaluated" },
        ]);
        expect(api.calls).toEqual([{ method: "GET", path: grafanaPaths.ruleStatuses, body: undefined }]);
        const firing = new CannedGrafana({ [grafanaPaths.ruleStatuses]: statuses([{ uid: "r1", name: "Failure ratio", health: "ok", state: "firing" }]) });
        expect((await checkRules(firing, [failureRatio]))[0]).toMatchObject({ passed: true, detail: "evaluating; firing now" });
    });

    it.each([
        ["error", "inactive"],
        ["ERROR", "inactive"],
        ["nodata", "inactive"],
        ["ok", "error"],
        ["ok", "NoData"],
    ])("health %s, state %s fails", async (health, state) => {
        const api = new CannedGrafana({ [grafanaPaths.ruleStatuses]: statuses([{ uid: "r1", name: "Failure ratio", health, state }]) });
        expect((await checkRules(api, targets.slice(0, 1)))[0]).toEqual({
            group: "payments",
            name: "Failure ratio",
            state: `${state}, health ${health}`,
            passed: false,
            detail: `health ${health}: the query returns no data or fails`,
        });
    });

    it("the rule's last error is the detail when there is one; missing fields read as unknown", async () => {
        const api = new CannedGrafana({
            [grafanaPaths.ruleStatuses]: statuses([{ uid: "r1", name: "Failure ratio", health: "error", lastError: "bad_data" }]),
        });
        expect((await checkRules(api, targets.slice(0, 1)))[0]).toMatchObject({
            state: "unknown, health error",
            passed: false,
            detail: "last error: bad_data",
        });
        const bare = new CannedGrafana({ [grafanaPaths.ruleStatuses]: statuses([{ name: "Failure ratio" }]) });
        expect((await checkRules(bare, targets.slice(0, 1)))[0]).toMatchObject({ state: "unknown, health unknown", passed: true });
    });

    it("a rule is found by group, name and (when Grafana gives one) uid", async () => {
        const only = targets.slice(0, 1);
        const missing = { state: "missing", passed: false, detail: "not in Grafana's rule statuses" };
        const elsewhere = new CannedGrafana({ [grafanaPaths.ruleStatuses]: statuses([{ uid: "r1", name: "Failure ratio", health: "ok" }], "other") });
        expect((await checkRules(elsewhere, only))[0]).toMatchObject(missing);
        const otherUid = new CannedGrafana({ [grafanaPaths.ruleStatuses]: statuses([{ uid: "r9", name: "Failure ratio", health: "ok" }]) });
        expect((await checkRules(otherUid, only))[0]).toMatchObject(missing);
        const otherName = new CannedGrafana({ [grafanaPaths.ruleStatuses]: statuses([{ uid: "r1", name: "Other", health: "ok" }]) });
        expect((await checkRules(otherName, only))[0]).toMatchObject(missing);
        const noUid = new CannedGrafana({ [grafanaPaths.ruleStatuses]: statuses([{ name: "Failure ratio", health: "ok", state: "normal" }]) });
        expect((await checkRules(noUid, only))[0]).toMatchObject({ state: "normal, health ok", passed: true });
    });

    it("a rule-status answer other than 200 fails every rule with its status and message", async () => {
        const api = new CannedGrafana({ [grafanaPaths.ruleStatuses]: { status: 503, body: { message: "unavailable" } } });
        const results = await checkRules(api, targets);
        expect(results).toEqual(
            targets.map((t) => ({ group: t.group, name: t.name, state: "unknown", passed: false, detail: "rule statuses answered 503: unavailable" })),
        );
    });
});

describe("sendTestNotifications", () => {
    const contactPoints = [
        { uid: "s1", name: "team", type: "slack", settings: { recipient: "#ops", url: "[REDACTED]" }, disableResolveMessage: true },
        { uid: "e1", name: "team", type: "email", settings: { addresses: "ops@vauntico.com" } },
        { uid: "o1", name: "team", type: "oncall", settings: {} },
        { uid: "x1", name: "irm-only", type: "oncall", settings: {} },
    ];
    const delivered = (statuses: Record<string, string>, status = 207): ApiAnswer => ({
        status,
        body: {
            receivers: [
                {
                    name: "team",
                    grafana_managed_receiver_configs: Object.entries(statuses).map(([uid, s]) => ({
                        uid,
                        status: s,
                        ...(s === "failed" ? { error: "no_service" } : {}),
                    })),
                },
            ],
        },
    });

    it("tests the Slack and email integrations of each contact point in one request, lists the others unsent", async () => {
        const api = new CannedGrafana({
            [grafanaPaths.contactPoints]: { status: 200, body: [...contactPoints, "not a record", null] },
            [grafanaPaths.receiversTest]: delivered({ s1: "ok", e1: "ok" }),
        });
        expect(await sendTestNotifications(api, ["team", "irm-only"])).toEqual([
            { contactPoint: "team", integration: "oncall", tested: false, passed: true, detail: "not sent: a test through it would start an IRM escalation" },
            { contactPoint: "team", integration: "slack", tested: true, passed: true, detail: "Grafana delivered it to the integration" },
            { contactPoint: "team", integration: "email", tested: true, passed: true, detail: "Grafana delivered it to the integration" },
            {
                contactPoint: "irm-only",
                integration: "oncall",
                tested: false,
                passed: true,
                detail: "not sent: a test through it would start an IRM escalation",
            },
        ]);
        expect(api.calls[0]).toMatchObject({ method: "GET", path: grafanaPaths.contactPoints });
        const sent = api.calls.filter((c) => c.path === grafanaPaths.receiversTest);
        expect(sent).toHaveLength(1);
        expect(sent[0]?.method).toBe("POST");
        expect(sent[0]?.body).toEqual({
            receivers: [
                {
                    name: "team",
                    grafana_managed_receiver_configs: [
                        { uid: "s1", name: "team", type: "slack", disableResolveMessage: true, settings: { recipient: "#ops" } },
                        { uid: "e1", name: "team", type: "email", disableResolveMessage: false, settings: { addresses: "ops@vauntico.com" } },
                    ],
                },
            ],
            alert: {
                labels: { alertname: "VaunticoValidateMonitoring", signal: "test" },
                annotations: { summary: "Test notification from `npm run validate -- monitoring --send-test-notifications`." },
            },
        });
    });

    it("a failed or unreported integration fails with Grafana's reason; 200 and 207 are the statuses that deliver", async () => {
        const failed = new CannedGrafana({
            [grafanaPaths.contactPoints]: { status: 200, body: contactPoints },
            [grafanaPaths.receiversTest]: delivered({ s1: "failed", e1: "ok" }),
        });
        const results = await sendTestNotifications(failed, ["team"]);
        expect(results.filter((r) => r.tested)).toEqual([
            { contactPoint: "team", integration: "slack", tested: true, passed: false, detail: "failed: no_service" },
            { contactPoint: "team", integration: "email", tested: true, passed: true, detail: "Grafana delivered it to the integration" },
        ]);
        const unreported = new CannedGrafana({
            [grafanaPaths.contactPoints]: { status: 200, body: contactPoints },
            [grafanaPaths.receiversTest]: { status: 400, body: { message: "invalid receiver" } },
        });
        for (const r of (await sendTestNotifications(unreported, ["team"])).filter((r) => r.tested)) {
            expect(r).toMatchObject({ passed: false, detail: "receiver test answered 400: invalid receiver" });
        }
        for (const [status, passed] of [
            [200, true],
            [207, true],
            [201, false],
            [208, false],
            [500, false],
        ] as const) {
            const api = new CannedGrafana({
                [grafanaPaths.contactPoints]: { status: 200, body: contactPoints },
                [grafanaPaths.receiversTest]: delivered({ s1: "ok", e1: "ok" }, status),
            });
            const tested = (await sendTestNotifications(api, ["team"])).filter((r) => r.tested);
            expect(
                tested.map((r) => r.passed),
                String(status),
            ).toEqual([passed, passed]);
        }
        const statusOnly = new CannedGrafana({
            [grafanaPaths.contactPoints]: { status: 200, body: contactPoints },
            [grafanaPaths.receiversTest]: delivered({ s1: "pending", e1: "ok" }),
        });
        expect((await sendTestNotifications(statusOnly, ["team"]))[1]).toMatchObject({ passed: false, detail: "failed: pending" });
    });

    it("an integration without a type is listed unsent as '?'; an outcome without error or status fails as 'unknown'", async () => {
        const api = new CannedGrafana({
            [grafanaPaths.contactPoints]: { status: 200, body: [{ uid: "n1", name: "team", settings: {} }, contactPoints[0]] },
            [grafanaPaths.receiversTest]: { status: 207, body: { receivers: [{ name: "team", grafana_managed_receiver_configs: [{ uid: "s1" }] }] } },
        });
        expect(await sendTestNotifications(api, ["team"])).toEqual([
            { contactPoint: "team", integration: "?", tested: false, passed: true, detail: "not sent: a test through it would start an IRM escalation" },
            { contactPoint: "team", integration: "slack", tested: true, passed: false, detail: "failed: unknown" },
        ]);
    });

    it("a contact point Grafana lacks fails; one with nothing testable sends nothing", async () => {
        const api = new CannedGrafana({ [grafanaPaths.contactPoints]: { status: 200, body: contactPoints } });
        expect(await sendTestNotifications(api, ["gone", "irm-only"])).toEqual([
            { contactPoint: "gone", integration: "—", tested: false, passed: false, detail: "contact point not found in Grafana" },
            {
                contactPoint: "irm-only",
                integration: "oncall",
                tested: false,
                passed: true,
                detail: "not sent: a test through it would start an IRM escalation",
            },
        ]);
        expect(api.calls.map((c) => c.path)).toEqual([grafanaPaths.contactPoints]);
    });

    it("a contact-point list that is not a 200 list fails every contact point, untested", async () => {
        for (const answer of [
            { status: 500, body: { message: "down" } },
            { status: 200, body: { message: "down" } },
            // A list, but not a 200: the status alone fails it.
            { status: 500, body: [{ message: "down" }] },
        ]) {
            const api = new CannedGrafana({ [grafanaPaths.contactPoints]: answer });
            expect(await sendTestNotifications(api, ["a", "b"])).toEqual(
                ["a", "b"].map((name) => ({
                    contactPoint: name,
                    integration: "—",
                    tested: false,
                    passed: false,
                    detail: `contact points answered ${answer.status}: ${Array.isArray(answer.body) ? "no message" : "down"}`,
                })),
            );
        }
    });
});
