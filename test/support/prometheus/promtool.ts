import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { expectationWindow, scrapeSeconds, seriesNotation, type AlertScenario } from "./alertScenarios.js";
import { translateGroup, type GrafanaRuleGroup, type PrometheusAlertRule } from "./grafanaToPrometheus.js";

export interface ScenarioOutcome {
    scenario: AlertScenario;
    passed: boolean;
    /** promtool's account of what differed (expected vs got alerts), when it failed. */
    failure: string;
}

export interface PromtoolRun {
    outcomes: ScenarioOutcome[];
    /** Evaluation-time checks promtool made across all scenarios. */
    checks: number;
}

/** Runs a command with a hard time limit; resolves with its exit code and output. */
export function runBounded(command: string, args: readonly string[], options: { cwd?: string; timeoutMs: number }): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const append = (chunk: Buffer) => {
            if (output.length < 4_000_000) output += chunk.toString("utf8");
        };
        child.stdout.on("data", append);
        child.stderr.on("data", append);
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`${command} ${args.join(" ")}: no exit within ${options.timeoutMs} ms (killed)`));
        }, options.timeoutMs);
        child.on("error", (error) => {
            clearTimeout(timer);
            reject(error);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, output });
        });
    });
}

function ruleFor(groups: readonly GrafanaRuleGroup[], scenario: AlertScenario, signalOf: (labels: Record<string, string>) => string | undefined): { rule: PrometheusAlertRule; intervalSeconds: number } | undefined {
    for (const group of groups) {
        for (const rule of translateGroup(group).rules) {
            if (signalOf(rule.labels) === scenario.signal) return { rule, intervalSeconds: group.intervalSeconds };
        }
    }
    return undefined;
}

/**
 * The rules of `groups` translated for Prometheus and every scenario as a promtool unit-test group: its
 * series and, at every evaluation of the rule's group, the alerts expected then (see `Expectation`). One
 * `promtool test rules` run evaluates them all on Prometheus's own rule engine.
 */
export async function runAlertScenarios(
    promtool: string,
    groups: readonly GrafanaRuleGroup[],
    scenarios: readonly AlertScenario[],
    signalKeyOf: (labels: Record<string, string>) => string | undefined,
): Promise<PromtoolRun> {
    const intervals = new Set(groups.map((g) => g.intervalSeconds));
    const [interval] = [...intervals];
    if (interval === undefined || intervals.size !== 1) throw new Error(`rule groups must share one evaluation interval to run in one promtool file; got ${[...intervals].join(", ")}`);
    const dir = mkdtempSync(join(tmpdir(), "vauntico-promtool-"));
    try {
        let checks = 0;
        const tests = scenarios.map((scenario) => {
            const found = ruleFor(groups, scenario, signalKeyOf);
            if (found === undefined) throw new Error(`scenario "${scenario.name}": no (unpaused) rule for ${scenario.signal}`);
            const window = expectationWindow(scenario, found.rule.for, found.intervalSeconds);
            const until = scenario.expect.kind === "fires" ? scenario.expect.untilSeconds : undefined;
            const alertTests: object[] = [];
            for (let t = 0; t <= scenario.minutes * 60; t += found.intervalSeconds) {
                let alerts: object[] | undefined;
                if (window === undefined || t < window.quietBefore) alerts = [];
                else if (t >= window.firingFrom && (until === undefined || t < until)) alerts = [{ exp_labels: found.rule.labels }];
                if (alerts === undefined) continue;
                alertTests.push({ eval_time: `${t}s`, alertname: found.rule.alert, exp_alerts: alerts });
                checks++;
            }
            return { name: scenario.name, interval: `${scenario.scrapeSeconds ?? scrapeSeconds}s`, input_series: seriesNotation(scenario), alert_rule_test: alertTests };
        });
        const rules = { groups: groups.map(translateGroup) };
        writeFileSync(join(dir, "rules.yml"), stringify(rules));
        writeFileSync(join(dir, "tests.yml"), stringify({ rule_files: ["rules.yml"], evaluation_interval: `${interval}s`, tests }, { lineWidth: 0 }));
        const check = await runBounded(promtool, ["check", "rules", "rules.yml"], { cwd: dir, timeoutMs: 30_000 });
        if (check.code !== 0) throw new Error(`promtool check rules refused the translated rules:\n${check.output}`);
        const run = await runBounded(promtool, ["test", "rules", "tests.yml"], { cwd: dir, timeoutMs: 120_000 });
        const failures = new Map<string, string[]>();
        let current: string | undefined;
        for (const line of run.output.split("\n")) {
            const named = /^\s+name: (.+),\s*$/.exec(line);
            if (named?.[1] !== undefined) {
                current = named[1];
                failures.set(current, [...(failures.get(current) ?? [])]);
                continue;
            }
            if (current !== undefined) failures.get(current)?.push(line);
        }
        if (run.code !== 0 && failures.size === 0) throw new Error(`promtool test rules failed without naming a scenario:\n${run.output.slice(0, 4000)}`);
        if (run.code === 0 && failures.size > 0) throw new Error(`promtool passed but reported failures:\n${run.output.slice(0, 4000)}`);
        for (const name of failures.keys()) {
            if (!scenarios.some((s) => s.name === name)) throw new Error(`promtool named an unknown scenario "${name}":\n${run.output.slice(0, 4000)}`);
        }
        return {
            outcomes: scenarios.map((scenario) => ({ scenario, passed: !failures.has(scenario.name), failure: (failures.get(scenario.name) ?? []).join("\n").slice(0, 3000) })),
            checks,
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
