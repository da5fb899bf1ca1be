import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectDir } from "./stackFiles.js";

export interface CommandResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    /** Wall time from spawn to exit. */
    ms: number;
}

export interface StartedCommand {
    child: ChildProcess;
    /** A value in the command's environment, inherited by every process it starts: see `processesMarked`. */
    marker: string;
    done: Promise<CommandResult>;
}

/**
 * Starts a compiled command (`dist/cli/<command>.js`) as a child process, the way `npm run <command>` does, in
 * `cwd` (default: the project). The command is killed if it outlives `timeoutMs`, so no test hangs on it.
 */
export function startCommand(
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): StartedCommand {
    const marker = `vauntico-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(projectDir, "dist", "cli", `${command}.js`), ...args], {
        cwd: options.cwd ?? projectDir,
        env: { ...process.env, ...options.env, VAUNTICO_TEST_MARKER: marker },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
    });
    const done = new Promise<CommandResult>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 90_000);
        child.once("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
        });
    });
    return { child, marker, done };
}

export function runCommand(
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
    return startCommand(command, args, options).done;
}

/** The signal a child died of (null: it exited), once it has. */
export function exitSignal(child: ChildProcess): Promise<NodeJS.Signals | null> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
    return new Promise((resolve) => child.once("exit", (_, signal) => resolve(signal)));
}

/** PIDs of live processes whose environment holds `marker` (Linux: /proc). */
export function processesMarked(marker: string): number[] {
    const needle = `VAUNTICO_TEST_MARKER=${marker}`;
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const environ = fs.readFileSync(`/proc/${entry}/environ`, "utf8");
            const status = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // A zombie has exited; only its parent's wait is missing.
            if (environ.split("\0").includes(needle) && !/^\d+ \(.*\) Z /.test(status)) pids.push(Number(entry));
        } catch {
            // gone, or not ours to read
        }
    }
    return pids;
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        if (check()) return true;
        if (Date.now() > end) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** A temporary project folder holding Pulumi.yaml and a `Pulumi.<stack>.yaml` with the given text. */
export function projectWithStackFile(text: string, stack = "prod"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vauntico-cli-"));
    fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}

export const prodStackText = (): string => fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8");
