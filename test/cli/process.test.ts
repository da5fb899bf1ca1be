import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { maxEnvironmentStringBytes } from "../../cli/analyzer/configEnvironment.js";
import { runInProcess } from "../support/commandInProcess.js";
import { eventually, processesMarked, prodStackText, projectWithStackFile, runCommand, startCommand } from "../support/commandProcess.js";

/** The prod stack file with `count` environment variables of `size` characters each added. */
function withVariables(count: number, size: number): string {
    const lines = Array.from({ length: count }, (_, index) => `      BULK_${index}: ${"x".repeat(size)}`).join("\n");
    return prodStackText().replace("      NODE_ENV: production\n", `      NODE_ENV: production\n${lines}\n`);
}

describe("a stack config too large to hand to a Pulumi program or pack (PULUMI_CONFIG)", () => {
    const tooLarge = (result: { stdout: string; stderr: string }): void => {
        expect(result.stderr).toContain(`over the ${maxEnvironmentStringBytes}-byte limit of one environment variable`);
        expect(result.stderr).toMatch(/largest keys: vauntico:environment \(\d+ bytes\)/);
        expect(result.stdout).toBe("");
    };

    it("preflight (the compiled command, which starts its pack first) exits 2 within seconds naming the limit and the largest keys, leaving no process", async () => {
        const dir = projectWithStackFile(withVariables(200, 1_000));
        const run = startCommand("preflight", [], { cwd: dir, timeoutMs: 30_000 });
        const result = await run.done;
        expect(result.signal).toBeNull();
        expect(result.code).toBe(2);
        expect(result.ms).toBeLessThan(15_000);
        tooLarge(result);
        expect(await eventually(() => processesMarked(run.marker).length === 0, 3_000)).toBe(true);
    }, 60_000);

    // In-process: the pack is a process all the same, started with the config in its environment.
    it("report handoff (whose gates run in a pack) exits 2 the same way, leaving no process", async () => {
        const marker = `vauntico-test-${process.pid}-report-too-large`;
        const result = await runInProcess("report", ["handoff"], {
            cwd: projectWithStackFile(withVariables(200, 1_000)),
            env: { VAUNTICO_TEST_MARKER: marker },
        });
        expect(result.code).toBe(2);
        tooLarge(result);
        expect(await eventually(() => processesMarked(marker).length === 0, 3_000)).toBe(true);
    }, 60_000);

    it("just under the limit still runs (its pack gets the whole config)", async () => {
        // 80 KB of variables (two, each within GitHub's value size limit): within the 128 KiB limit with the rest of the config.
        const result = await runInProcess("preflight", ["--json"], { cwd: projectWithStackFile(withVariables(2, 40_000)) });
        expect(result.stderr).not.toContain("byte limit");
        expect(result.code, result.stderr).toBe(0);
    }, 90_000);
});

describe("an interrupted command leaves no policy pack behind", () => {
    it.each(["SIGTERM", "SIGINT"] as const)(
        "%s mid-run: the command dies of the signal and its pack with it",
        async (signal) => {
            const run = startCommand("preflight", [], { timeoutMs: 60_000 });
            const commandPid = run.child.pid;
            // Wait until the pack runs beside the command (a second process carrying the marker).
            const packStarted = await eventually(() => processesMarked(run.marker).some((pid) => pid !== commandPid), 30_000);
            expect(packStarted).toBe(true);
            run.child.kill(signal);
            const result = await run.done;
            expect(result.signal).toBe(signal);
            expect(result.stderr).toContain(`interrupted by ${signal}`);
            expect(await eventually(() => processesMarked(run.marker).length === 0, 5_000), `left: ${processesMarked(run.marker).join(", ")}`).toBe(true);
        },
        90_000,
    );
});

describe("no error path prints a credential (canaries, through the compiled commands)", () => {
    const stripe = "sk_live_CANARYprocess00000000";
    const github = "ghp_CANARYprocess000000000000000";
    const configErrors = prodStackText()
        .replace("vauntico:phase: 1", `vauntico:phase: 1\n  vauntico:stripeSecretkey: ${stripe}\n  github:owner: ${github}`)
        .replace("    requiredApprovals: 2", `    requiredApprovals: 2\n    token: ${github}`);
    const yamlError = prodStackText().replace("vauntico:phase: 1", `vauntico:phase: 1\n  github:token: "${github}`);

    // In-process through commandExitCode, which prints what a command throws; one compiled-command witness.
    it.each([
        ["preflight", [], configErrors],
        ["preflight", ["--json"], yamlError],
        ["report", ["handoff"], configErrors],
    ] as const)(
        "%s %j exits 2 and shows no canary",
        async (command, args, text) => {
            const result = await runInProcess(command, args, { cwd: projectWithStackFile(text) });
            expect(result.code, result.stderr).toBe(2);
            expect(result.stderr).toMatch(/vauntico:stripeSecretkey: unknown key|YAML syntax error/);
            expect(result.stdout + result.stderr).not.toContain("CANARY");
        },
        60_000,
    );

    it("report secrets, the compiled command, on a YAML error exits 2 and shows no canary", async () => {
        const result = await runCommand("report", ["secrets"], { cwd: projectWithStackFile(yamlError) });
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain("YAML syntax error");
        expect(result.stdout + result.stderr).not.toContain("CANARY");
    }, 60_000);
});

describe("a command killed outright (SIGKILL, no handler runs) leaves no policy pack behind", () => {
    it("the pack ends when its command's pipe closes", async () => {
        const run = startCommand("preflight", [], { timeoutMs: 60_000 });
        const commandPid = run.child.pid;
        const packStarted = await eventually(() => processesMarked(run.marker).some((pid) => pid !== commandPid), 30_000);
        expect(packStarted).toBe(true);
        run.child.kill("SIGKILL");
        const result = await run.done;
        expect(result.signal).toBe("SIGKILL");
        expect(await eventually(() => processesMarked(run.marker).length === 0, 10_000), `left: ${processesMarked(run.marker).join(", ")}`).toBe(true);
    }, 90_000);
});

describe("a command keeps Node's compile cache, and its pack one of its own", () => {
    it("with no NODE_COMPILE_CACHE set, the compiled preflight writes under the temp folder, its pack in policy-pack/", async () => {
        const tmp = mkdtempSync(path.join(tmpdir(), "vauntico-tmpdir-"));
        try {
            const result = await runCommand("preflight", [], { env: { TMPDIR: tmp, NODE_COMPILE_CACHE: undefined }, timeoutMs: 60_000 });
            expect(result.code, result.stderr).toBe(0);
            const cache = path.join(tmp, "node-compile-cache");
            const entries = (folder: string): number =>
                readdirSync(folder)
                    .filter((name) => /^v\d/.test(name))
                    .map((v) => readdirSync(path.join(folder, v)).length)[0] ?? 0;
            // Hundreds each: @pulumi/pulumi alone is about 700 modules.
            expect(entries(cache)).toBeGreaterThan(300);
            expect(entries(path.join(cache, "policy-pack"))).toBeGreaterThan(300);
        } finally {
            rmSync(tmp, { recursive: true, force: true });
        }
    }, 90_000);
});
