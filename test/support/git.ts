import { execFileSync } from "node:child_process";
import * as os from "node:os";

/** Bounded, isolated git for fixture repositories (no user or system config, no signing, no prompts). */
export function gitIn(cwd: string, ...args: string[]): string {
    return execFileSync("git", args, {
        cwd,
        timeout: 15_000,
        encoding: "utf8",
        env: {
            ...process.env,
            GIT_CONFIG_NOSYSTEM: "1",
            GIT_CONFIG_GLOBAL: os.devNull,
            GIT_TERMINAL_PROMPT: "0",
            GIT_AUTHOR_NAME: "Ledger Test",
            GIT_AUTHOR_EMAIL: "ledger@example.invalid",
            GIT_COMMITTER_NAME: "Ledger Test",
            GIT_COMMITTER_EMAIL: "ledger@example.invalid",
        },
    });
}
