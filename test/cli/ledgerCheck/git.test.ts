import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GitError, git } from "../../../cli/ledgerCheck/git.js";

const made: string[] = [];
afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

describe("git: every call is bounded", () => {
    it("a git that hangs is ended at the timeout, with what it started, and the call fails naming it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "git-timeout-"));
        made.push(dir);
        const pidFile = path.join(dir, "pid");
        // A shell alias that records its pid and then waits 30 s: git's child, not git itself.
        const started = Date.now();
        await expect(git(["-c", `alias.hang=!echo $$ > '${pidFile}'; exec sleep 30`, "hang"], { cwd: dir, timeoutMs: 500 })).rejects.toThrow(
            new GitError("git hang did not finish within 0.5 s"),
        );
        expect(Date.now() - started).toBeLessThan(10_000);
        const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
        expect(pid).toBeGreaterThan(0);
        for (let i = 0; i < 40 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(alive(pid)).toBe(false);
    });

    it("a failing git names the command and its first error line", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "git-fail-"));
        made.push(dir);
        await expect(git(["rev-parse", "--verify", "nope"], { cwd: dir })).rejects.toThrow(
            /^git rev-parse nope failed \(exit 128\): fatal: not a git repository/,
        );
    });
});
