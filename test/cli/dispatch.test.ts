import { createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommandEntry, commands, isGroup, reportKinds, validations } from "../../cli/commands.js";
import { dispatch } from "../../cli/dispatch.js";
import { exitCodes } from "../../cli/exitCodes.js";
import { runInProcess } from "../support/commandInProcess.js";
import { prodStackText, projectWithStackFile, runCommand } from "../support/commandProcess.js";
import { gitIn } from "../support/git.js";
import { projectDir } from "../support/stackFiles.js";
import type { GitHubDouble } from "../doubles/github.js";
import { blockerSeverities } from "../../policy/protocol/index.js";
import { blockerLabel, escalationLabel } from "../../cli/blockers/issueModel.js";
import { ensureLabels } from "../../cli/blockers/issues.js";
import { TestClock, client as githubClientFor, owner, repoName, startDouble, token } from "./blockers/harness.js";

/** Runs the dispatcher in this process, capturing what it writes. */
async function dispatched(command: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await dispatch(command, argv, {
        stdout: (text) => {
            stdout += text;
        },
        stderr: (text) => {
            stderr += text;
        },
    });
    return { code, stdout, stderr };
}

/** Every command and verb of the table, as `[command, verb | undefined, entry]`. */
function everyEntry(): [string, string | undefined, CommandEntry][] {
    return [...commands].flatMap(([name, command]): [string, string | undefined, CommandEntry][] =>
        isGroup(command)
            ? [...command.verbs].map(([verb, entry]): [string, string | undefined, CommandEntry] => [name, verb, entry])
            : [[name, undefined, command]],
    );
}

describe("--help, generated from the command table", () => {
    it.each(everyEntry().map(([command, verb, entry]) => ({ label: `${command} ${verb ?? ""}`.trim(), command, verb, entry })))(
        "$label --help: usage, description, every option described",
        async ({ command, verb, entry }) => {
            const module = await entry.load();
            for (const flag of ["--help", "-h"]) {
                const run = await dispatched(command, [...(verb === undefined ? [] : [verb]), flag]);
                expect(run.code).toBe(exitCodes.passed);
                expect(run.stderr).toBe("");
                expect(run.stdout.startsWith(`Usage: npm run ${command} --${verb === undefined ? "" : ` ${verb}`}`)).toBe(true);
                expect(run.stdout).toContain(entry.description);
                for (const option of Object.keys(module.options)) {
                    const description = entry.flags[option];
                    expect(description, `${command} ${verb ?? ""} --${option} has no description in the table`).toMatch(/\S/);
                    expect(run.stdout).toContain(`--${option}`);
                    expect(run.stdout).toContain(description);
                }
            }
            // The table describes no option the module does not have.
            expect(Object.keys(entry.flags).filter((flag) => !(flag in module.options))).toEqual([]);
        },
    );

    it.each([...commands].filter(([, command]) => isGroup(command)).map(([name]) => name))("%s --help lists every verb", async (name) => {
        const command = commands.get(name);
        if (command === undefined || !isGroup(command)) throw new Error(`${name} is not a command with verbs`);
        const run = await dispatched(name, ["--help"]);
        expect(run.code).toBe(exitCodes.passed);
        for (const [verb, entry] of command.verbs)
            expect(run.stdout).toMatch(new RegExp(`^  ${verb} +${entry.description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    });
});

describe("usage errors exit 2 with the rule, before anything runs", () => {
    it.each(["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "webhook"])(
        "report and validate reject the kind %s, listing the valid ones",
        async (kind) => {
            const report = await dispatched("report", [kind]);
            expect(report.code).toBe(exitCodes.unusable);
            expect(report.stderr).toContain(`unknown kind ${JSON.stringify(kind)}; expected one of: ${[...reportKinds.keys()].join(", ")}`);
            const validate = await dispatched("validate", [kind]);
            expect(validate.code).toBe(exitCodes.unusable);
            expect(validate.stderr).toContain(`unknown kind ${JSON.stringify(kind)}; expected one of: ${[...validations.keys()].join(", ")}`);
        },
    );

    it("a command with kinds given none, or an option first, names the kinds", async () => {
        for (const argv of [[], ["--stack", "prod"]]) {
            const run = await dispatched("report", argv);
            expect(run.code).toBe(exitCodes.unusable);
            expect(run.stderr).toContain("report: no kind given");
            expect(run.stderr).toContain("expected one of: secrets");
        }
    });

    it("a flag given twice is an error (parseArgs alone keeps the last)", async () => {
        const run = await dispatched("report", ["secrets", "--stack", "prod", "--stack", "other"]);
        expect(run.code).toBe(exitCodes.unusable);
        expect(run.stderr).toContain("report secrets: --stack given more than once");
        const twice = await dispatched("preflight", ["--json", "--json"]);
        expect(twice.code).toBe(exitCodes.unusable);
        expect(twice.stderr).toContain("--json given more than once");
    });

    it("a surplus positional argument is an error, and its value is not echoed", async () => {
        const run = await dispatched("preflight", ["sk_live_CANARYsurplus0123456789"]);
        expect(run.code).toBe(exitCodes.unusable);
        expect(run.stderr).toContain("preflight: unexpected argument #1 (of 1); this command takes no positional arguments");
        expect(run.stderr).not.toContain("CANARY");
        const report = await dispatched("report", ["secrets", "extra"]);
        expect(report.code).toBe(exitCodes.unusable);
        expect(report.stderr).toContain("unexpected argument #1");
    });

    it("an unknown option or a missing value names the option", async () => {
        const unknown = await dispatched("validate", ["first-payment", "--no-such-option"]);
        expect(unknown.code).toBe(exitCodes.unusable);
        expect(unknown.stderr).toContain("--no-such-option");
        const missing = await dispatched("preflight", ["--stack"]);
        expect(missing.code).toBe(exitCodes.unusable);
        expect(missing.stderr).toContain("--stack");
    });

    // Pulumi: at most 100 characters, alphanumerics, '-', '_', '.' (tokens.IsName).
    it.each(["../../etc/passwd", "x::y", "a/b", "a b", "", "é", "a".repeat(101)])(
        "--stack %j is refused, naming the argument, the value and the rule",
        async (stack) => {
            for (const [command, verb] of [
                ["preflight", undefined],
                ["report", "secrets"],
                ["validate", "webhooks"],
                ["validate", "first-payment"],
            ] as const) {
                const run = await dispatched(command, [...(verb === undefined ? [] : [verb]), `--stack=${stack}`]);
                expect(run.code, `${command} ${verb ?? ""}`).toBe(exitCodes.unusable);
                expect(run.stderr).toContain("--stack ");
                expect(run.stderr).toContain("at most 100 letters, digits, '-', '_' or '.' (Pulumi's stack name rule)");
                if (stack.length <= 40) expect(run.stderr).toContain(JSON.stringify(stack));
            }
        },
    );

    it.each(["a".repeat(100), "prod", "my_stack.v2-1"])("--stack %s passes the name rule (then the file is looked for)", async (stack) => {
        // The stack file is then looked for: the error (thrown for cli/process.ts to print) is about the file, not the name.
        const outcome = await dispatched("report", ["secrets", "--stack", stack]).then(
            (run) => run.stderr,
            (error: unknown) => String(error),
        );
        expect(outcome).not.toContain("stack name rule");
    });
});

/**
 * The exit-code map, per command and fault class. Each case runs in this process through `commandExitCode`, the
 * function whose result `cli/process.ts` exits with (a process per case cost ≈ 1 s of CPU each, most of it
 * loading modules). One case per command also runs as the compiled command, the witness that the process's
 * exit code is that result: across the commands they witness 0, 1, 2 returned and 2 thrown. Where a command has
 * a case that needs no plan, that case is its witness (a process costs its module loading on top).
 */
describe("the exit-code map, per command (in-process; one compiled-command witness each)", () => {
    const liveAtPhase1 = (): string => prodStackText().replace("    mode: test", "    mode: live");
    const badConfig = (): string => prodStackText().replace("vauntico:phase: 1", "vauntico:phase: 7").replace("requiredApprovals: 2", "requiredApprovals: 0");
    const badYaml = (): string => `${prodStackText()}\n  broken: [unclosed\n`;

    // 0 when the gates pass: test/cli/preflight.test.ts prints the prod stack's plan through the same function.
    it("preflight: 1 when a gate blocks, 2 for usage, a missing stack file, YAML or config errors (every problem named, nothing listed)", async () => {
        const blockedDir = projectWithStackFile(liveAtPhase1());
        const witness = runCommand("preflight", [], { cwd: blockedDir });
        const usage = await runInProcess("preflight", ["--bogus"]);
        const missing = await runInProcess("preflight", ["--stack", "nosuch"]);
        const yaml = await runInProcess("preflight", [], { cwd: projectWithStackFile(badYaml()) });
        const config = await runInProcess("preflight", ["--json"], { cwd: projectWithStackFile(badConfig()) });
        const blocked = await witness;
        expect(blocked.code, blocked.stderr).toBe(1);
        expect(blocked.stdout).toContain("p5-live-payment-keys-only-at-phase-5");
        expect(usage.code).toBe(2);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain("Pulumi.nosuch.yaml not found");
        expect(yaml.code).toBe(2);
        expect(yaml.stderr).toMatch(/Pulumi\.prod\.yaml:\d+:\d+: YAML syntax error/);
        expect(config.code).toBe(2);
        expect(config.stderr).toContain("vauntico:phase: got 7");
        expect(config.stderr).toContain("vauntico:mergeProtection.requiredApprovals: got 0");
        for (const run of [usage, missing, yaml, config]) expect(run.stdout).toBe("");
    }, 180_000);

    it("report: 0 when written, 2 for an unknown kind, a missing stack file, YAML or config errors", async () => {
        // The witness: an error the command throws (no stack file) is exit 2, printed under the command's name.
        const witness = runCommand("report", ["status", "--stack", "nosuch"]);
        const written = await runInProcess("report", ["secrets"]);
        const unknown = await runInProcess("report", ["toString"]);
        const yaml = await runInProcess("report", ["handoff"], { cwd: projectWithStackFile(badYaml()) });
        const config = await runInProcess("report", ["blockers"], { cwd: projectWithStackFile(badConfig()) });
        const missing = await witness;
        expect(written.code, written.stderr).toBe(0);
        expect(written.stdout).toContain("# SECRETS_GENERATION_REPORT");
        for (const run of [unknown, missing, yaml, config]) {
            expect(run.code, run.stderr).toBe(2);
            expect(run.stdout).toBe("");
        }
        expect(missing.stderr).toMatch(/^report status: .*Pulumi\.nosuch\.yaml not found/m);
        expect(unknown.stderr).not.toContain("[object");
    }, 180_000);

    describe("validate", () => {
        let server: http.Server;
        let verifying = "";
        let acceptingAll = "";
        const secret = "sk_test_validateExitCodes";
        beforeAll(async () => {
            server = http.createServer((request, response) => {
                let body = "";
                request.on("data", (chunk: Buffer) => {
                    body += chunk.toString("utf8");
                });
                request.on("end", () => {
                    const expected = createHmac("sha512", secret).update(body).digest("hex");
                    const verifies = request.url === "/verifying";
                    response.writeHead(!verifies || request.headers["x-paystack-signature"] === expected ? 200 : 401).end();
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            const { port } = server.address() as AddressInfo;
            verifying = `http://127.0.0.1:${port}/verifying`;
            acceptingAll = `http://127.0.0.1:${port}/accepting-all`;
        });
        afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

        it("0 when the endpoint behaves, 1 when it accepts a forged request, 2 for usage or an unknown kind", async () => {
            const env = { PAYSTACK_SECRET_KEY: secret };
            const witness = runCommand("validate", ["webhooks", "--provider", "paystack", "--url", acceptingAll], { env });
            const passed = await runInProcess("validate", ["webhooks", "--provider", "paystack", "--url", verifying], { env });
            const usage = await runInProcess("validate", ["webhooks", "--provider", "paypal", "--url", verifying], { env });
            const unknown = await runInProcess("validate", ["constructor"]);
            const failed = await witness;
            expect(passed.code, passed.stdout + passed.stderr).toBe(0);
            expect(failed.code, failed.stdout + failed.stderr).toBe(1);
            expect(usage.code).toBe(2);
            expect(unknown.code).toBe(2);
            expect(unknown.stderr).toContain(`expected one of: ${[...validations.keys()].join(", ")}`);
            for (const run of [passed, failed]) expect(run.stdout + run.stderr).not.toContain(secret);
        }, 120_000);
    });

    it("handoff: 0 for status, 2 for an unknown flag, a repeated flag, a surplus argument, or an entry the ledger's rules refuse (nothing written)", async () => {
        const copy = projectWithStackFile(prodStackText());
        const witness = runCommand("handoff", ["sign", "p1.pr-merge-approval", "--by", "kilo-dev-lead"], { cwd: copy });
        const status = await runInProcess("handoff", ["status"]);
        const unknown = await runInProcess("handoff", ["sign", "p1.pr-merge-approval", "--by", "cline-ops-lead", "--bogus"], { cwd: copy });
        const repeated = await runInProcess("handoff", ["status", "--stack", "prod", "--stack", "prod"]);
        const surplus = await runInProcess("handoff", ["status", "surplus-argument"]);
        const refused = await witness;
        expect(status.code, status.stderr).toBe(0);
        for (const run of [unknown, repeated, surplus, refused]) expect(run.code, run.stderr).toBe(2);
        expect(unknown.stderr).toContain("--bogus");
        expect(repeated.stderr).toMatch(/--stack/);
        expect(surplus.stderr).not.toContain("surplus-argument");
        // p1.pr-merge-approval is owned by Cline: a Kilo lead may not sign it.
        expect(refused.stderr).toMatch(/p1\.pr-merge-approval is owned by Cline/);
        expect(fs.existsSync(path.join(copy, "handoff"))).toBe(false);
        fs.rmSync(copy, { recursive: true, force: true });
    }, 120_000);

    describe("blockers, against the GitHub double", () => {
        let double: GitHubDouble;
        beforeAll(async () => {
            double = await startDouble(new TestClock("2026-12-02T07:00:00Z"));
            // A repository that already has the blocker labels (seeded without the command's spacing of writes):
            // the blocked sync's one write is its issue.
            const labels = [blockerLabel, escalationLabel(1), "team:kilo", "team:cline"];
            labels.push(...blockerSeverities.map((severity) => `severity:${severity.toLowerCase()}`), ...[1, 2, 3, 4, 5].map((phase) => `phase:${phase}`));
            await ensureLabels(githubClientFor(double), { owner, repo: repoName }, labels);
        });
        afterAll(async () => {
            expect(double.violations).toEqual([]);
            await double.close();
        });

        it("sync: 0 with no blocker, 1 with one; 2 for an unknown flag, a surplus argument, or no token", async () => {
            const env = { GITHUB_TOKEN: token, GITHUB_API_URL: double.url, GITHUB_REPOSITORY: "" };
            // Phase 2 in the config with no phase-move in the ledger: exactly one blocker, so one issue is
            // written (the client spaces GitHub writes seconds apart, as GitHub asks).
            const oneBlocker = projectWithStackFile(prodStackText().replace("vauntico:phase: 1", "vauntico:phase: 2"));
            const repo = `${owner}/${repoName}`;
            const witness = runCommand("blockers", ["escalate", "--repo", repo], { env: { ...env, GITHUB_TOKEN: "" } });
            const clean = await runInProcess("blockers", ["sync", "--repo", repo], { env });
            const writesBefore = double.requests.length;
            const blocked = await runInProcess("blockers", ["sync", "--repo", repo], { env, cwd: oneBlocker });
            expect(double.writesSince(writesBefore).map((request) => `${request.method} ${request.path}`)).toEqual([`POST /repos/${repo}/issues`]);
            const unknown = await runInProcess("blockers", ["sync", "--repo", repo, "--bogus"], { env });
            const surplus = await runInProcess("blockers", ["escalate", "surplus-argument"], { env });
            const noToken = await witness;
            expect(clean.code, clean.stderr).toBe(0);
            expect(blocked.code, blocked.stderr).toBe(1);
            expect(blocked.stdout).toMatch(/created: BLOCKER-P1-[0-9A-F]+ #\d+\n/);
            for (const run of [unknown, surplus, noToken]) expect(run.code, run.stderr).toBe(2);
            expect(noToken.stderr).toContain("GITHUB_TOKEN: missing");
            for (const run of [clean, blocked, unknown, surplus, noToken]) expect(run.stdout + run.stderr).not.toContain(token);
            fs.rmSync(oneBlocker, { recursive: true, force: true });
        }, 180_000);
    });

    it("codeowners --check: 0 on a matching copy, 1 on a mismatching one (nothing written); 2 for a surplus argument or an unknown flag", async () => {
        const copy = (codeowners: (text: string) => string): string => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codeowners-exit-"));
            for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
            fs.mkdirSync(path.join(dir, ".github"));
            fs.writeFileSync(path.join(dir, ".github", "CODEOWNERS"), codeowners(fs.readFileSync(path.join(projectDir, ".github", "CODEOWNERS"), "utf8")));
            return dir;
        };
        const matching = copy((text) => text);
        const mismatching = copy((text) => `${text}/extra/ @someone\n`);
        const witness = runCommand("codeowners", ["--check"], { cwd: matching });
        const failed = await runInProcess("codeowners", ["--check"], { cwd: mismatching });
        const surplus = await runInProcess("codeowners", ["--check", "prod"], { cwd: matching });
        const unknown = await runInProcess("codeowners", ["--chek"], { cwd: matching });
        const passed = await witness;
        expect(passed.code, passed.stderr).toBe(0);
        expect(failed.code, failed.stderr).toBe(1);
        expect(fs.readFileSync(path.join(mismatching, ".github", "CODEOWNERS"), "utf8")).toMatch(/\/extra\/ @someone\n$/);
        for (const run of [surplus, unknown]) expect(run.code, run.stderr).toBe(2);
        for (const dir of [matching, mismatching]) fs.rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    it("ledger-check: 0 when the change only appends, 1 when it edits an entry of the base, 2 for usage or an unreadable base", async () => {
        const entry = (id: string, score: number) =>
            `- id: ${id}\n  kind: acceptance\n  phase: 1\n  by: cline-ops-lead\n  at: "2026-12-01T09:00:00Z"\n  score: ${score}\n`;
        const repoWith = (change: string): string => {
            const repo = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-check-exit-"));
            const file = path.join(repo, "handoff", "prod", "acceptances.yaml");
            gitIn(repo, "init", "-q", "-b", "main");
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, entry("accept-1", 5));
            gitIn(repo, "add", "-A");
            gitIn(repo, "commit", "-q", "-m", "base");
            gitIn(repo, "checkout", "-q", "-b", "change");
            fs.writeFileSync(file, change);
            gitIn(repo, "add", "-A");
            gitIn(repo, "commit", "-q", "-m", "change");
            return repo;
        };
        const appended = repoWith(`${entry("accept-1", 5)}${entry("accept-2", 4)}`);
        const edited = repoWith(entry("accept-1", 3));
        const env = { GITHUB_BASE_REF: "" };
        const witness = runCommand("ledgerCheck", ["--base", "main"], { cwd: edited, env });
        const passed = await runInProcess("ledger-check", ["--base", "main"], { cwd: appended, env });
        const surplus = await runInProcess("ledger-check", ["--base", "main", "extra"], { cwd: appended, env });
        const repeated = await runInProcess("ledger-check", ["--base", "main", "--base", "main"], { cwd: appended, env });
        const noBase = await runInProcess("ledger-check", ["--base", "no-such-branch"], { cwd: appended, env });
        const failed = await witness;
        expect(passed.code, passed.stdout + passed.stderr).toBe(0);
        expect(failed.code, failed.stdout + failed.stderr).toBe(1);
        expect(failed.stdout + failed.stderr).toContain("accept-1");
        for (const run of [surplus, repeated, noBase]) expect(run.code, run.stdout + run.stderr).toBe(2);
        for (const dir of [appended, edited]) fs.rmSync(dir, { recursive: true, force: true });
    }, 120_000);
});
