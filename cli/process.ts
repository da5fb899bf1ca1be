import { killLivePacks } from "./analyzer/packProcess.js";
import { commands, isGroup } from "./commands.js";
import { dispatch } from "./dispatch.js";
import { exitCodes } from "./exitCodes.js";

/**
 * Runs a command as the process: every way out ends the process and its children. On SIGINT or SIGTERM the
 * policy packs (each its own process group) are killed and the signal is raised again, so the shell sees the
 * command die of it. When the command is done, the process exits even if something still holds the event
 * loop (a gRPC listener, a timer): a command that has its answer never hangs.
 */
export function runCommandProcess(command: string, argv: string[] = process.argv.slice(2)): void {
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
    dispatch(command, argv).then(finish, (error: unknown) => {
        const entry = commands.get(command);
        const label = entry !== undefined && isGroup(entry) && argv[0] !== undefined && entry.verbs.has(argv[0]) ? `${command} ${argv[0]}` : command;
        process.stderr.write(`${label}: ${error instanceof Error ? error.message : String(error)}\n`);
        finish(exitCodes.unusable);
    });
}
