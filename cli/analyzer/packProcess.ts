import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Socket } from "node:net";
import * as path from "node:path";
import { configEnvironmentProblem } from "./configEnvironment.js";

export interface PackProcessOptions {
    /** The pack's folder (holding PulumiPolicy.yaml and package.json). */
    packFolder: string;
    /** Address the pack is told the engine listens on. */
    engineAddress: string;
    /** The stack's config, key → string, as the CLI passes it in `PULUMI_CONFIG`. */
    config: Readonly<Record<string, string>>;
    secretKeys?: readonly string[];
    organization?: string;
    project: string;
    stack: string;
    dryRun?: boolean;
    /** How long the pack may take to print its port. Default 60 s. */
    startTimeoutMs?: number;
    /** Aborting before the pack prints its port kills it and rejects (a command that no longer needs it). */
    signal?: AbortSignal;
}

export interface PackProcess {
    port: number;
    child: ChildProcess;
    /** What the pack wrote to stderr so far. */
    stderr(): string;
    stop(): Promise<void>;
}

/**
 * The pack's NODE_OPTIONS: the given ones, plus the guard that ends the pack when this process ends, however
 * it ends (`packOrphanGuard`). A path Node's option parser could not take quoted is left out.
 */
export function packNodeOptions(given: string | undefined, guard: string | undefined): string | undefined {
    if (guard === undefined || !quotable(guard)) return given;
    return [given, `--require "${guard}"`].filter((part) => part !== undefined && part !== "").join(" ");
}

/** Whether Node's option parser takes `file` in double quotes (it has no escapes for `"` or `\`). */
function quotable(file: string): boolean {
    return !file.includes('"') && !file.includes("\\");
}

function nodeOptionsEntry(value: string | undefined): { NODE_OPTIONS?: string } {
    return value === undefined ? {} : { NODE_OPTIONS: value };
}

/**
 * The pack's compile cache: a folder of its own inside the command's. Pulumi's pack runner sets a V8 flag
 * (`--allow-natives-syntax`, in `runtime/closure/v8Hooks`) before loading the pack, and V8 rejects code
 * cached under other flags: in one shared folder the pack and its command each discard and rewrite what the
 * other cached, and the pack, started on every run, compiled @pulumi/pulumi from scratch every time.
 */
export function packCompileCache(given: string | undefined): { NODE_COMPILE_CACHE?: string } {
    return given === undefined || given === "" ? {} : { NODE_COMPILE_CACHE: path.join(given, "policy-pack") };
}

/**
 * The guard of the build the pack belongs to (`<build>/policy` → `<build>/cli/analyzer`), if that build has one
 * and its path can be put in NODE_OPTIONS: a pack stopped as if guarded without one waits out the grace period.
 */
function orphanGuardOf(packFolder: string): string | undefined {
    try {
        const guard = path.join(path.dirname(require.resolve(packFolder)), "..", "cli", "analyzer", "packOrphanGuard.js");
        return existsSync(guard) && quotable(guard) ? guard : undefined;
    } catch {
        return undefined;
    }
}

/** How long a guarded pack may take to exit once asked (it writes its compile cache: ≈ 0.25 s after a build). */
const packExitGraceMs = 2_000;

/** Packs this process started and has not seen exit: killed if this process exits first, so none is orphaned. */
const livePacks = new Set<ChildProcess>();

/** Sends `signal` to a pack's whole process group (it leads one: see `detached` below), else to the pack alone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
        process.kill(-child.pid, signal);
    } catch {
        child.kill(signal);
    }
}

/** The packs this process started that have not exited (for tests: what a stop or an abort left). */
export function livePackProcesses(): ReadonlySet<ChildProcess> {
    return livePacks;
}

/** Kills every pack this process started, with its process group, at once. Safe to call from an exit handler. */
export function killLivePacks(): void {
    for (const child of livePacks) signalGroup(child, "SIGKILL");
}
process.once("exit", killLivePacks);

/**
 * Starts a Node.js policy pack exactly as the Pulumi CLI does: `@pulumi/pulumi/cmd/run-policy-pack` run by
 * node in the pack's folder with arguments `[engineAddress, "."]` and the stack's identity and config in
 * the environment. The first line the pack prints is the port of its Analyzer gRPC server.
 */
export function startPackProcess(options: PackProcessOptions): Promise<PackProcess> {
    const tooLarge = configEnvironmentProblem(options.config);
    if (tooLarge) return Promise.reject(new Error(`cannot start the policy pack: ${tooLarge}`));
    if (options.signal?.aborted) return Promise.reject(packStartCancelled());
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [options.packFolder] });
    const guard = orphanGuardOf(options.packFolder);
    let child: ChildProcess;
    try {
        child = spawn(process.execPath, [runner, options.engineAddress, "."], {
            cwd: options.packFolder,
            env: {
                ...process.env,
                PULUMI_CONFIG: JSON.stringify(options.config),
                PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
                PULUMI_NODEJS_ORGANIZATION: options.organization ?? "organization",
                PULUMI_NODEJS_PROJECT: options.project,
                PULUMI_NODEJS_STACK: options.stack,
                PULUMI_NODEJS_DRY_RUN: String(options.dryRun ?? true),
                ...packCompileCache(process.env["NODE_COMPILE_CACHE"]),
                ...nodeOptionsEntry(packNodeOptions(process.env["NODE_OPTIONS"], guard)),
            },
            // stdin: the pipe whose end tells the pack this process is gone (see packNodeOptions).
            stdio: ["pipe", "pipe", "pipe"],
            // Its own process group, so a stop or an interrupted command kills whatever the pack started too.
            detached: true,
        });
    } catch (error) {
        return Promise.reject(new Error(`cannot start the policy pack: ${error instanceof Error ? error.message : String(error)}`));
    }
    // The pipe never carries data and must not keep this process alive.
    (child.stdin as Socket | null)?.unref();
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
        stderr += chunk;
    });
    livePacks.add(child);
    child.once("exit", () => livePacks.delete(child));
    let serving = false;
    // A guarded pack that serves is asked to exit by closing its stdin: it exits normally, so Node writes its
    // compile cache (a signal would lose it). One still loading would only see that once loaded, so it gets
    // SIGTERM, as does a pack without the guard or one that does not answer; SIGKILL after a grace period.
    const stop = (): Promise<void> =>
        new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timers: NodeJS.Timeout[] = [];
            const later = (ms: number, signal: NodeJS.Signals): void => {
                timers.push(setTimeout(() => signalGroup(child, signal), ms));
            };
            child.once("exit", () => {
                for (const timer of timers) clearTimeout(timer);
                resolve();
            });
            if (guard === undefined || !serving) {
                signalGroup(child, "SIGTERM");
                later(3_000, "SIGKILL");
            } else {
                child.stdin?.end();
                later(packExitGraceMs, "SIGTERM");
                later(packExitGraceMs + 3_000, "SIGKILL");
            }
        });

    let onAbort: (() => void) | undefined;
    const started = new Promise<PackProcess>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => {
            void stop();
            reject(new Error(`policy pack did not print its port within ${options.startTimeoutMs ?? 60_000} ms; stderr: ${stderr.trim()}`));
        }, options.startTimeoutMs ?? 60_000);
        onAbort = (): void => {
            clearTimeout(timer);
            void stop();
            reject(packStartCancelled());
        };
        options.signal?.addEventListener("abort", onAbort, { once: true });
        child.stdout?.setEncoding("utf8");
        const onData = (chunk: string): void => {
            stdout += chunk;
            const newline = stdout.indexOf("\n");
            if (newline < 0) return;
            clearTimeout(timer);
            child.stdout?.off("data", onData);
            child.stdout?.resume();
            const port = Number(stdout.slice(0, newline).trim());
            if (!Number.isInteger(port) || port <= 0) {
                void stop();
                reject(new Error(`policy pack printed ${JSON.stringify(stdout.slice(0, newline))} instead of a port; stderr: ${stderr.trim()}`));
                return;
            }
            serving = true;
            resolve({ port, child, stderr: () => stderr, stop });
        };
        child.stdout?.on("data", onData);
        child.once("error", (error) => {
            clearTimeout(timer);
            livePacks.delete(child);
            reject(new Error(`cannot start the policy pack: ${error.message}`));
        });
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`policy pack exited (${signal ?? `code ${code}`}) before printing its port; stderr: ${stderr.trim()}`));
        });
    });
    return started.finally(() => {
        if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    });
}

function packStartCancelled(): Error {
    return new Error("policy pack start cancelled: the command no longer needs it");
}
