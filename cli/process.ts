import { enableCompileCache } from "node:module";
import { killLivePacks } from "./analyzer/packProcess.js";
import { commands, isGroup } from "./commands.js";
import { type CommandIo, dispatch, processIo } from "./dispatch.js";
import { exitCodes } from "./exitCodes.js";

/**
 * Runs a command as the process: every way out ends the process and its children. On SIGINT or SIGTERM the
 * policy packs (each its own process group) are killed and the signal is raised again, so the shell sees the
 * command die of it. When the command is done, the process exits even if something still holds the event
 * loop (a gRPC listener, a timer): a command that has its answer never hangs.
 */
export function runCommandProcess(command: string, argv: string[] = process.argv.slice(2)): void {
    useCompileCache();
    const onSignal = (signal: NodeJS.Signals): void => {
        killLivePacks();
        process.stderr.write(`${command}: interrupted by ${signal}; stopped\n`);
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
        process.kill(process.pid, signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);

    const finish = (code: number): void => {
        killLivePacks();
        process.exitCode = code;
        // Flush what was written, then leave.
        process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
    };
    commandExitCode(command, argv).then(finish);
}

/**
 * Runs a command to its exit code: what `dispatch` returns, or `unusable` when the command throws, with the
 * error's message (never its stack) written to stderr under the command's name. The process's exit code is
 * this; tests run it in-process to check the exit-code map without a process per case.
 */
export async function commandExitCode(command: string, argv: string[], io: CommandIo = processIo): Promise<number> {
    try {
        return await dispatch(command, argv, io);
    } catch (error) {
        const entry = commands.get(command);
        const label = entry !== undefined && isGroup(entry) && argv[0] !== undefined && entry.verbs.has(argv[0]) ? `${command} ${argv[0]}` : command;
        io.stderr(`${label}: ${error instanceof Error ? error.message : String(error)}\n`);
        return exitCodes.unusable;
    }
}

/**
 * Node's compile cache (V8 code cache on disk, checked against each file's content): a run after the first
 * skips compiling @pulumi/pulumi and the SDKs, ≈ 40% of loading them. Its folder goes into the environment,
 * so the policy pack, a child process, has one too (see `packCompileCache`). `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off.
 */
function useCompileCache(): void {
    const enabled = enableCompileCache();
    if (enabled.directory !== undefined && process.env["NODE_COMPILE_CACHE"] === undefined) process.env["NODE_COMPILE_CACHE"] = enabled.directory;
}
