import { execFile } from "node:child_process";

/** What every validation reads (environment, the stack through the Pulumi CLI) and where it writes. */
export interface StackAccess {
    env: NodeJS.ProcessEnv;
    projectDir: string;
    /** `pulumi config get KEY` (decrypted); undefined when unavailable. Never printed. */
    configValue(stack: string, key: string): Promise<string | undefined>;
    stdout(text: string): void;
    stderr(text: string): void;
}

/** Runs the Pulumi CLI; its trimmed stdout, or undefined when it fails, prints nothing or takes over a minute. */
export function pulumiCli(args: readonly string[]): Promise<string | undefined> {
    return new Promise((resolve) => {
        // A stack export runs to megabytes; the default 1 MiB buffer would cut it off and read as "unavailable".
        execFile("pulumi", [...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
            resolve(error ? undefined : stdout.trim() || undefined),
        );
    });
}

/** `pulumi stack output NAME` for a stack, as JSON and with secrets shown when asked. */
export function stackOutputOf(stack: string, name: string, options: { json?: boolean; showSecrets?: boolean } = {}): Promise<string | undefined> {
    return pulumiCli(["stack", "output", name, ...(options.json ? ["--json"] : []), "--stack", stack, ...(options.showSecrets ? ["--show-secrets"] : [])]);
}

/** The process's own environment, folder, Pulumi CLI and terminal. */
export function processStackAccess(): StackAccess {
    return {
        env: process.env,
        projectDir: process.cwd(),
        configValue: (stack, key) => pulumiCli(["config", "get", key, "--stack", stack]),
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
    };
}
