import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runPlan, type Plan } from "../../../cli/plan/index.js";
import { main } from "../../../cli/validate.js";
import { defaultMonitoringDeps, monitoringCommand, type MonitoringDeps } from "../../../cli/validate/monitoring.js";
import { isManualItemId } from "../../../policy/protocol/lookup.js";
import { GrafanaDouble } from "../../doubles/grafana.js";
import { GrafanaSpecValidator } from "../../doubles/grafanaSpec.js";
import { grafanaProject, seedGrafana, stackExportOf } from "../../support/grafanaStack.js";
import { useEchoingPulumi } from "../../support/echoingPulumi.js";
import { monitoringMocks } from "../../support/monitoringMocks.js";
import { projectDir } from "../../support/stackFiles.js";

const token = "glsa_canaryToken_DoNotPrint_0123456789";
const stack = "test";
const version = 7;

let plan: Plan;
let grafana: GrafanaDouble;
let project: string;

beforeAll(async () => {
    plan = await runPlan({ stack: "prod", projectDir, mocks: monitoringMocks(), serializeDynamicProviders: false });
    grafana = await new GrafanaDouble(token).start();
    project = grafanaProject(stack, grafana.url);
});

afterAll(async () => {
    await grafana?.stop();
    rmSync(project, { recursive: true, force: true });
});

afterEach(() => {
    expect(grafana.specErrors).toEqual([]);
    expect(grafana.writes).toEqual([]);
});

function fresh(): void {
    grafana.requests.length = 0;
    grafana.dashboards.clear();
    grafana.failingIntegrations.clear();
    grafana.exprsWithoutData.clear();
    grafana.oversizedPath = undefined;
    seedGrafana(grafana, plan, version);
}

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

async function validate(argv: string[] = [], overrides: Partial<MonitoringDeps> = {}): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const deps: MonitoringDeps = {
        env: { GRAFANA_AUTH: token },
        projectDir: project,
        stackExport: async () => stackExportOf(plan, version),
        configValue: async () => undefined,
        now: () => new Date("2026-12-02T07:30:00.123Z"),
        stdout: (t) => {
            stdout += t;
        },
        stderr: (t) => {
            stderr += t;
        },
        ...overrides,
    };
    const code = await monitoringCommand(["--stack", stack, ...argv], deps);
    expect(stdout + stderr).not.toContain(token);
    return { code, stdout, stderr };
}

function row(report: string, ...cells: string[]): string | undefined {
    return report.split("\n").find((line) => cells.every((c) => line.includes(c)));
}

describe("validate monitoring against a Grafana that has what the stack wrote", () => {
    it("passes read-only: every dashboard at the stack's version, every panel with data, every rule healthy; exit 0", async () => {
        fresh();
        const run = await validate();
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expect(run.stdout).toContain("**Result: PASS**");
        for (const uid of ["vauntico-webhooks", "vauntico-payments", "vauntico-revenue"]) {
            expect(row(run.stdout, `| ${uid} | ${version} | ${version} | pass |`), uid).toBeDefined();
        }
        const panelQueries = grafana.requests.filter((r) => r.path === "/api/ds/query");
        expect(panelQueries.length).toBe(
            [...grafana.dashboards.values()].reduce(
                (n, d) =>
                    n +
                    (Array.isArray(d.model["panels"])
                        ? d.model["panels"].reduce(
                              (m: number, p: unknown) =>
                                  m + (typeof p === "object" && p !== null && "targets" in p && Array.isArray(p.targets) ? p.targets.length : 0),
                              0,
                          )
                        : 0),
                0,
            ),
        );
        expect(row(run.stdout, "Payment failure ratio high", "pass")).toBeDefined();
        expect(row(run.stdout, "No successful live payment", "paused")).toBeDefined();
        expect(grafana.requests.some((r) => r.path.endsWith("/receivers/test"))).toBe(false);
        expect(grafana.requests.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    });

    it("sends a test notification through each Slack and email integration with --send-test-notifications, never through IRM", async () => {
        fresh();
        const run = await validate(["--send-test-notifications"]);
        expect(run.code).toBe(0);
        const tests = grafana.requests.filter((r) => r.path.endsWith("/receivers/test"));
        const contactPoints = [...new Set(grafana.contactPoints.map((cp) => cp.name))];
        expect(tests.length).toBe(contactPoints.length);
        const sentTypes = tests.flatMap((t) => JSON.stringify(t.body).match(/"type":"[a-z]+"/g) ?? []);
        expect(new Set(sentTypes)).toEqual(new Set(['"type":"slack"', '"type":"email"']));
        expect(JSON.stringify(tests.map((t) => t.body))).not.toContain("[REDACTED]");
        expect(row(run.stdout, "vauntico-kilo-critical", "| oncall |", "not sent")).toBeDefined();
        expect(row(run.stdout, "vauntico-all", "| slack |", "pass")).toBeDefined();
    });
});

describe("validate monitoring faults", () => {
    it("a rejected token exits 2 naming the 401 and never printing the token", async () => {
        fresh();
        const run = await validate([], { env: { GRAFANA_AUTH: "glsa_wrong_token_0000" } });
        expect(run.code).toBe(2);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(/Grafana answered 401; check the token \(GRAFANA_AUTH or grafana:auth\)/);
        expect(run.stderr).not.toContain("glsa_wrong_token_0000");
    });

    it("a token an HTTP header cannot carry exits 2 before any request, never printing it (fetch's own error would)", async () => {
        fresh();
        const run = await validate([], { env: { GRAFANA_AUTH: "glsa_newline_token_0000\n" } });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("the token (GRAFANA_AUTH or grafana:auth) holds characters an HTTP header cannot carry (not shown)");
        expect(run.stderr).not.toContain("glsa_newline_token_0000");
        expect(grafana.requests).toEqual([]);
    });

    it("a missing dashboard (404) fails that dashboard, exit 1", async () => {
        fresh();
        grafana.dashboards.delete("vauntico-revenue");
        const run = await validate();
        expect(run.code).toBe(1);
        expect(row(run.stdout, "| vauntico-revenue |", "**FAIL**", "not found in Grafana (404)")).toBeDefined();
        expect(row(run.stdout, "| vauntico-payments |", "pass")).toBeDefined();
    });

    it("a dashboard saved outside the stack (another version) fails, exit 1", async () => {
        fresh();
        const stored = grafana.dashboards.get("vauntico-payments");
        if (stored) stored.version = version + 1;
        const run = await validate();
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(`version ${version + 1} in Grafana, the stack wrote ${version}: changed outside the stack`);
    });

    it("a panel without data in the last hour fails that panel, exit 1", async () => {
        fresh();
        const model = grafana.dashboards.get("vauntico-webhooks")?.model;
        const expr = JSON.stringify(model).match(/"expr":"((?:[^"\\]|\\.)*)"/)?.[1];
        if (expr === undefined) throw new Error("no expr");
        grafana.exprsWithoutData.add(JSON.parse(`"${expr}"`));
        const run = await validate();
        expect(run.code).toBe(1);
        expect(row(run.stdout, "Deliveries by provider and outcome", "**FAIL**", "no data in the last hour")).toBeDefined();
    });

    it.each([
        ["error", "inactive"],
        ["nodata", "inactive"],
        ["ok", "firing"],
    ] as const)("a rule with health %s, state %s", async (health, state) => {
        fresh();
        const rule = grafana.ruleGroups.flatMap((g) => g.rules).find((r) => r.name === "Request error rate high");
        if (!rule) throw new Error("no rule");
        rule.health = health;
        rule.state = state;
        if (health === "error") rule.lastError = "bad_data: parse error";
        const run = await validate();
        if (health === "ok") {
            expect(run.code).toBe(0);
            expect(row(run.stdout, "Request error rate high", "pass", "firing now")).toBeDefined();
        } else {
            expect(run.code).toBe(1);
            expect(row(run.stdout, "Request error rate high", `health ${health}`, "**FAIL**")).toBeDefined();
        }
    });

    it("a rule the stack wrote but Grafana lacks fails, exit 1", async () => {
        fresh();
        for (const group of grafana.ruleGroups) group.rules = group.rules.filter((r) => r.name !== "Webhook deliveries failing");
        const run = await validate();
        expect(run.code).toBe(1);
        expect(row(run.stdout, "Webhook deliveries failing", "missing", "**FAIL**")).toBeDefined();
    });

    it("a failing contact-point test fails that integration, exit 1", async () => {
        fresh();
        grafana.failingIntegrations.set("vauntico-cline-warning-slack", 'Post "https://hooks.slack.com/…": 404 no_service');
        const run = await validate(["--send-test-notifications"]);
        expect(run.code).toBe(1);
        expect(row(run.stdout, "vauntico-cline-warning", "| slack |", "**FAIL**", "no_service")).toBeDefined();
        expect(row(run.stdout, "vauntico-cline-warning", "| email |", "pass")).toBeDefined();
    });

    it("an oversized answer is refused after a bounded read, exit 2", async () => {
        fresh();
        grafana.oversizedPath = "/api/dashboards/uid/vauntico-webhooks";
        const run = await validate();
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/body is larger than 4194304 bytes; stopped reading it/);
    });
});

describe("validate monitoring could not run (exit 2)", () => {
    it("without a token, without the stack's state, or with credentials in grafana:url", async () => {
        fresh();
        const noToken = await validate([], { env: {} });
        expect(noToken.code).toBe(2);
        expect(noToken.stderr).toMatch(/no Grafana token: set GRAFANA_AUTH or run where `pulumi config get grafana:auth --stack test` answers/);
        const noState = await validate([], { stackExport: async () => undefined });
        expect(noState.code).toBe(2);
        expect(noState.stderr).toMatch(/pulumi stack export --stack test/);
        const withUserinfo = grafanaProject(stack, "https://admin:hunter2secret@grafana.example.test/");
        try {
            const run = await validate([], { projectDir: withUserinfo });
            expect(run.code).toBe(2);
            expect(run.stderr).toMatch(/grafana:url: carries a user name or password/);
            expect(run.stderr).not.toContain("hunter2secret");
        } finally {
            rmSync(withUserinfo, { recursive: true, force: true });
        }
        for (const [url, message] of [
            ["http://grafana.example.test/", /http:\/\/ is not https/],
            ["https://grafana.example.test/?auth=tok3nInQuery", /has a query or fragment/],
        ] as const) {
            const dir = grafanaProject(stack, url);
            try {
                const run = await validate([], { projectDir: dir });
                expect(run.code).toBe(2);
                expect(run.stderr).toMatch(message);
                expect(run.stderr).not.toContain("tok3nInQuery");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        }
        expect(grafana.requests).toEqual([]);
    });

    it("an unknown flag is a usage error through the dispatcher", async () => {
        let stderr = "";
        const code = await main(["monitoring", "--send-test-notification"], (t) => {
            stderr += t;
        });
        expect(code).toBe(2);
        expect(stderr).toMatch(/Unknown option '--send-test-notification'/);
    });
});

describe("validate monitoring --record", () => {
    it("writes the report as evidence with its SHA-256 and prints sign lines only for the items it answers", async () => {
        fresh();
        const readOnly = await validate(["--record"]);
        const file = "handoff/evidence/validate-monitoring-2026-12-02T07-30-00Z.md";
        try {
            const bytes = readFileSync(join(project, file));
            expect(bytes.toString("utf8")).toBe(readOnly.stdout);
            expect(readOnly.stderr).toContain(`evidence: ${file} (sha256 ${createHash("sha256").update(bytes).digest("hex")})`);
            // Stack "test" is not `handoff sign`'s default (prod): the line names it.
            expect(readOnly.stderr).toContain(`npm run handoff -- sign p2.dashboards-verified --stack test --by <LOGIN> --evidence ${file}`);
            expect(readOnly.stderr).not.toMatch(/sign p2\.alerting-tested/);
            expect(readOnly.stderr).toMatch(/# p2\.alerting-tested: no test notification sent/);
            expect(readOnly.stderr).not.toMatch(/sign p4\.alert-notifications-tested/);
            // The same second again: never overwrite evidence.
            await expect(validate(["--record"])).rejects.toThrow(/EEXIST/);
        } finally {
            rmSync(join(project, "handoff"), { recursive: true, force: true });
        }
        fresh();
        const notified = await validate(["--record", "--send-test-notifications"]);
        rmSync(join(project, "handoff"), { recursive: true, force: true });
        expect(notified.stderr).toMatch(/sign p2\.alerting-tested --stack test --by <LOGIN>/);
        expect(notified.stderr).toMatch(/sign p2\.alert-setup-verification --stack test --by <LOGIN>/);
        fresh();
        grafana.dashboards.delete("vauntico-revenue");
        const failing = await validate(["--record"]);
        rmSync(join(project, "handoff"), { recursive: true, force: true });
        expect(failing.code).toBe(1);
        expect(failing.stderr).not.toMatch(/sign p2\.dashboards-verified/);
        for (const id of [...notified.stderr.matchAll(/sign (p\d\.[a-z-]+)/g)].map((m) => m[1] ?? "")) expect(isManualItemId(id), id).toBe(true);
    });
});

describe("validate monitoring --record --by LOGIN", () => {
    it("puts the login in every sign line", async () => {
        fresh();
        const signed = await validate(["--record", "--send-test-notifications", "--by", "cline-ops-lead"]);
        rmSync(join(project, "handoff"), { recursive: true, force: true });
        expect(signed.code).toBe(0);
        const lines = signed.stderr.split("\n").filter((l) => l.startsWith("npm run handoff -- sign "));
        expect(lines).toHaveLength(3);
        for (const line of lines) expect(line).toMatch(/ --stack test --by cline-ops-lead --evidence handoff\/evidence\//);
        expect(signed.stderr).not.toContain("<LOGIN>");
    });

    it.each([
        ["-leading-hyphen", /--by "-leading-hyphen": expected a GitHub username/],
        ["double--hyphen", /--by "double--hyphen": expected a GitHub username/],
        ["a".repeat(40), /expected a GitHub username \(letters, digits, single hyphens, ≤ 39 characters\)/],
    ])("refuses --by=%s (exit 2) before reading anything", async (login, message) => {
        fresh();
        const run = await validate(["--record", `--by=${login}`], {
            stackExport: async () => {
                throw new Error("must not be read");
            },
        });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(message);
        expect(grafana.requests).toEqual([]);
    });

    it("accepts a 39-character login; --by without --record is a usage error", async () => {
        fresh();
        const longest = await validate(["--record", "--by", "a".repeat(39)]);
        rmSync(join(project, "handoff"), { recursive: true, force: true });
        expect(longest.code).toBe(0);
        expect(longest.stderr).toContain(` --by ${"a".repeat(39)} --evidence`);
        fresh();
        const unrecorded = await validate(["--by", "cline-ops-lead"]);
        expect(unrecorded.code).toBe(2);
        expect(unrecorded.stderr).toMatch(/--by .*applies with --record only/);
        expect(grafana.requests).toEqual([]);
    });
});

describe("the Grafana double's spec checks", () => {
    const validator = new GrafanaSpecValidator();
    it("route served paths to the descriptions' operations", () => {
        expect(validator.operation("GET", "/api/dashboards/uid/x")?.operation).toEqual({ spec: "dashboards", path: "/dashboards/uid/{uid}", method: "get" });
        expect(validator.operation("GET", "/api/prometheus/grafana/api/v1/rules")?.operation.path).toBe("/api/prometheus/grafana/api/v1/rules");
        expect(validator.operation("GET", "/api/v1/provisioning/contact-points")?.operation.spec).toBe("dashboards");
        expect(validator.operation("GET", "/api/nothing")).toBeUndefined();
    });

    it("reject a request and a response that break the descriptions", () => {
        const dsQuery = { spec: "dashboards", path: "/ds/query", method: "post" } as const;
        expect(validator.requestBody(dsQuery, { from: "now-1h", to: "now" }).errors.join()).toMatch(/must have required property 'queries'/);
        expect(validator.requestBody(dsQuery, { from: "now-1h", to: "now", queries: [{ refId: "A" }] }).valid).toBe(true);
        const rules = { spec: "runtime", path: "/api/prometheus/grafana/api/v1/rules", method: "get" } as const;
        expect(validator.response(rules, 200, { data: { groups: [] } }).errors.join()).toMatch(/must have required property 'status'/);
        expect(
            validator
                .response(rules, 200, { status: "success", data: { groups: [{ name: "g", file: "f", interval: 60, rules: [{ name: "r" }] }] } })
                .errors.join(),
        ).toMatch(/required property 'query'/);
        expect(validator.query(rules, { includeInternalLabels: "yes" }).errors.join()).toMatch(/not a boolean/);
        const contactPoints = { spec: "dashboards", path: "/api/v1/provisioning/contact-points", method: "get" } as const;
        expect(validator.response(contactPoints, 200, [{ type: "slack", settings: {} }]).valid).toBe(true);
        expect(validator.response(contactPoints, 200, [{ type: "smoke-signal", settings: {} }]).valid).toBe(false);
        expect(validator.response(contactPoints, 418, {}).errors.join()).toMatch(/status 418 is not documented/);
    });
});

describe("validate monitoring: the grafana:url it accepts", () => {
    /** The stderr of a run that stops right after the URL check (no state): accepted URLs reach "cannot read the state". */
    async function urlVerdict(url: string | undefined): Promise<string> {
        const dir = grafanaProject(stack, url ?? "unused");
        if (url === undefined) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), "config: {}\n");
        try {
            const run = await validate([], { projectDir: dir, stackExport: async () => undefined });
            expect(run.code).toBe(2);
            return run.stderr;
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    const accepted = "validate monitoring: cannot read the state of stack test: run where `pulumi stack export --stack test` answers\n";

    it.each(["https://grafana.example.test", "http://127.0.0.1:3000/", "http://localhost:3000/", "http://[::1]:3000/"])("%s", async (url) => {
        expect(await urlVerdict(url)).toBe(accepted);
    });

    it.each([
        ["http://127.0.0.2:3000/", "validate monitoring: grafana:url: http:// is not https\n"],
        ["http://grafana.localhost.example/", "validate monitoring: grafana:url: http:// is not https\n"],
        ["ftp://127.0.0.1/", "validate monitoring: grafana:url: ftp:// is not https\n"],
        ["https://grafana.example.test/#panel", "validate monitoring: grafana:url: has a query or fragment; give the Grafana base URL only\n"],
        ["grafana.example.test", "validate monitoring: grafana:url: not a URL\n"],
        [undefined, "validate monitoring: grafana:url is not set in Pulumi.test.yaml (pulumi config set grafana:url https://…)\n"],
        [
            "https://admin:pw@grafana.example.test/",
            "validate monitoring: grafana:url: carries a user name or password (user:password@); credentials go in Pulumi secrets, never in a URL (the token goes in grafana:auth or GRAFANA_AUTH)\n",
        ],
    ])("%s is refused", async (url, message) => {
        expect(await urlVerdict(url)).toBe(message);
    });
});

describe("validate monitoring: the stack's state and the token", () => {
    it("a state that is not an export, or holds no dashboard or rule, cannot be checked", async () => {
        fresh();
        const notJson = await validate([], { stackExport: async () => "not json" });
        expect(notJson.code).toBe(2);
        expect(notJson.stderr).toMatch(/^validate monitoring: stack test: .*JSON/);
        const notExport = await validate([], { stackExport: async () => "{}" });
        expect(notExport.stderr).toBe("validate monitoring: stack test: not a `pulumi stack export` document (no deployment.resources)\n");
        const empty = await validate([], { stackExport: async () => JSON.stringify({ deployment: { resources: [] } }) });
        expect(empty.stderr).toBe(
            "validate monitoring: stack test has no Grafana dashboard or alert rule in its state (set vauntico:monitoring and run pulumi up)\n",
        );
        expect(grafana.requests).toEqual([]);
    });

    it("rules without dashboards (or dashboards without rules) are checked", async () => {
        fresh();
        const exported = JSON.parse(stackExportOf(plan, version));
        const only = (type: string) =>
            JSON.stringify({ deployment: { resources: exported.deployment.resources.filter((r: { type: string }) => r.type === type) } });
        const rulesOnly = await validate([], { stackExport: async () => only("grafana:alerting/ruleGroup:RuleGroup") });
        expect(rulesOnly.code).toBe(0);
        expect(rulesOnly.stdout).toContain("**Result: PASS**");
        const dashboardsOnly = await validate([], { stackExport: async () => only("grafana:oss/dashboard:Dashboard") });
        expect(dashboardsOnly.code).toBe(0);
    });

    it("an empty GRAFANA_AUTH falls back to the stack's grafana:auth", async () => {
        fresh();
        const asked: string[] = [];
        const run = await validate([], {
            env: { GRAFANA_AUTH: "" },
            configValue: async (s, key) => {
                asked.push(`${s}:${key}`);
                return token;
            },
        });
        expect(run.code).toBe(0);
        expect(asked).toEqual(["test:grafana:auth"]);
        const none = await validate([], { env: { GRAFANA_AUTH: "" }, configValue: async () => "" });
        expect(none.code).toBe(2);
        expect(none.stderr).toContain("no Grafana token");
    });
});

describe("validate monitoring --record: what each outcome answers", () => {
    const file = "handoff/evidence/validate-monitoring-2026-12-02T07-30-00Z.md";
    const irm = "# p4.alert-notifications-tested: not answered here: it needs the IRM escalation exercised, which this command never triggers";
    /** stderr after the evidence line; the evidence is removed so the next run may record again. */
    async function recorded(argv: string[], overrides: Partial<MonitoringDeps> = {}): Promise<string[]> {
        try {
            const run = await validate(["--record", ...argv], overrides);
            const [evidence, ...rest] = run.stderr.trimEnd().split("\n");
            expect(evidence).toMatch(/^evidence: handoff\/evidence\/validate-monitoring-/);
            return rest;
        } finally {
            rmSync(join(project, "handoff"), { recursive: true, force: true });
        }
    }
    const sign = (id: string) => `npm run handoff -- sign ${id} --stack test --by <LOGIN> --evidence ${file}`;
    const confirm = "# after confirming the test messages arrived in Slack and by email";

    it("read-only and passing: the dashboards item; alerting and IRM not answered, each with why", async () => {
        fresh();
        expect(await recorded([])).toEqual([
            sign("p2.dashboards-verified"),
            "# p2.alerting-tested: no test notification sent (run with --send-test-notifications)",
            irm,
        ]);
    });

    it("notifications sent and passing: the alerting items too, each with the confirmation to make first", async () => {
        fresh();
        expect(await recorded(["--send-test-notifications"])).toEqual([
            sign("p2.dashboards-verified"),
            confirm,
            sign("p2.alerting-tested"),
            confirm,
            sign("p2.alert-setup-verification"),
            irm,
        ]);
    });

    it("a failed dashboard check and a failed notification: neither item", async () => {
        fresh();
        grafana.dashboards.delete("vauntico-revenue");
        grafana.failingIntegrations.set(grafana.contactPoints[0]?.uid ?? "", "smtp: refused");
        expect(await recorded(["--send-test-notifications"])).toEqual([
            "# p2.dashboards-verified: not every dashboard and panel check passed",
            "# p2.alerting-tested: a test notification failed",
            irm,
        ]);
    });

    it("a contact point missing from Grafana fails alerting though every sent test passed", async () => {
        fresh();
        const missing = grafana.contactPoints[0]?.name;
        grafana.contactPoints = grafana.contactPoints.filter((cp) => cp.name !== missing);
        expect(await recorded(["--send-test-notifications"])).toEqual([
            sign("p2.dashboards-verified"),
            "# p2.alerting-tested: a test notification failed",
            irm,
        ]);
    });

    it("no Slack or email integration to test: alerting is not answered", async () => {
        fresh();
        grafana.contactPoints = grafana.contactPoints.map((cp) => ({ ...cp, type: "oncall" }));
        expect(await recorded(["--send-test-notifications"])).toEqual([
            sign("p2.dashboards-verified"),
            "# p2.alerting-tested: a test notification failed",
            irm,
        ]);
    });

    it("no dashboard in the state: the dashboards item is not answered", async () => {
        fresh();
        const exported = JSON.parse(stackExportOf(plan, version));
        const rulesOnly = JSON.stringify({
            deployment: { resources: exported.deployment.resources.filter((r: { type: string }) => r.type === "grafana:alerting/ruleGroup:RuleGroup") },
        });
        expect((await recorded([], { stackExport: async () => rulesOnly }))[0]).toBe("# p2.dashboards-verified: not every dashboard and panel check passed");
    });
});

describe("validate monitoring: arguments", () => {
    it("refuses an unknown option and a positional argument before any request", async () => {
        fresh();
        await expect(validate(["--no-such-option"])).rejects.toThrow(/--no-such-option/);
        await expect(validate(["extra"])).rejects.toThrow(/extra/);
        expect(grafana.requests).toEqual([]);
    });
});

describe("defaultMonitoringDeps", () => {
    useEchoingPulumi();

    it("exports the stack through the Pulumi CLI; now() is the clock", async () => {
        const deps = defaultMonitoringDeps();
        expect(await deps.stackExport("prod")).toBe("stack export --stack prod");
        const before = Date.now();
        const now = deps.now().getTime();
        expect(now).toBeGreaterThanOrEqual(before);
        expect(now).toBeLessThanOrEqual(Date.now());
        expect(deps.env).toBe(process.env);
    });
});
