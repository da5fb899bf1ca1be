import { vi } from "vitest";
import { commandExitCode } from "../../cli/process.js";

export interface InProcessResult {
    code: number;
    stdout: string;
    stderr: string;
}

/**
 * Runs a command in this process the way its process runs it (`commandExitCode`, whose result `cli/process.ts`
 * exits with), in `cwd` and with `env` set for the run only, capturing what it writes to stdout and stderr.
 * Runs share the working directory and the process's streams: never run two at once.
 * What only a process shows (its exit status, signals, the processes it leaves) needs `runCommand`.
 */
export async function runInProcess(
    command: string,
    argv: readonly string[],
    options: { cwd?: string; env?: Readonly<Record<string, string>> } = {},
): Promise<InProcessResult> {
    const result = { code: -1, stdout: "", stderr: "" };
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        result.stdout += String(chunk);
        return true;
    });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        result.stderr += String(chunk);
        return true;
    });
    const cwd = process.cwd();
    const saved = Object.keys(options.env ?? {}).map((name): [string, string | undefined] => [name, process.env[name]]);
    try {
        Object.assign(process.env, options.env);
        if (options.cwd !== undefined) process.chdir(options.cwd);
        result.code = await commandExitCode(command, [...argv], {
            stdout: (text) => {
                result.stdout += text;
            },
            stderr: (text) => {
                result.stderr += text;
            },
        });
    } finally {
        process.chdir(cwd);
        for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
        stdout.mockRestore();
        stderr.mockRestore();
    }
    return result;
}
