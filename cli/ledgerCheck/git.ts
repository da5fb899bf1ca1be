import { spawn } from "node:child_process";

/** Git could not be run, or could not read what was asked (exit 2 for the check). */
export class GitError extends Error {
    override name = "GitError";
}

/** Every git call is bounded: a hung git (a lock, a prompt) must not hang CI. */
export const gitTimeoutMs = 60_000;

export interface GitOptions {
    cwd: string;
    input?: string;
    timeoutMs?: number;
}

/** `git <subcommand> <first operands>` for messages: `-c` settings and options left out. */
function commandName(args: readonly string[]): string {
    const rest = [...args];
    while (rest[0] === "-c") rest.splice(0, 2);
    return ["git", ...rest.filter((a) => !a.startsWith("-")).slice(0, 3)].join(" ");
}

/** Runs `git args…` and returns its stdout; rejects with a `GitError` naming the command on failure or timeout. */
export function git(args: readonly string[], options: GitOptions): Promise<Buffer> {
    const timeoutMs = options.timeoutMs ?? gitTimeoutMs;
    return new Promise((resolve, reject) => {
        const child = spawn("git", ["-c", "core.quotePath=false", ...args], {
            cwd: options.cwd,
            // Never ask for credentials or a pager; messages in English, whatever the locale.
            env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" },
            stdio: ["pipe", "pipe", "pipe"],
            // Its own process group, so a timeout ends what git started too (hooks, filters, aliases).
            detached: true,
        });
        const out: Buffer[] = [];
        let err = "";
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            try {
                if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
            } catch {
                child.kill("SIGKILL");
            }
        }, timeoutMs);
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => {
            if (err.length < 4096) err += chunk.toString("utf8");
        });
        child.stdin.on("error", () => undefined);
        child.on("error", (error) => {
            clearTimeout(timer);
            reject(new GitError(`git could not be started: ${error.message}`));
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            const command = commandName(args);
            if (timedOut) reject(new GitError(`${command} did not finish within ${timeoutMs / 1000} s`));
            else if (code !== 0) reject(new GitError(`${command} failed (exit ${code}): ${err.trim().split("\n")[0] ?? ""}`));
            else resolve(Buffer.concat(out));
        });
        child.stdin.end(options.input ?? "");
    });
}

/** The commit a ref names, or undefined when it names none. */
export async function resolveCommit(ref: string, cwd: string): Promise<string | undefined> {
    try {
        return (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd })).toString("utf8").trim();
    } catch (error) {
        if (error instanceof GitError && /exit 1\b/.test(error.message)) return undefined;
        throw error;
    }
}

export async function mergeBase(a: string, b: string, cwd: string): Promise<string> {
    return (await git(["merge-base", a, b], { cwd })).toString("utf8").trim();
}

export interface TreeFile {
    path: string;
    /** Git's object id of the file's content. */
    id: string;
}

/** The files under `folder` at `commit`, paths relative to `cwd` (as `git ls-tree` gives them). */
export async function listTree(commit: string, folder: string, cwd: string): Promise<TreeFile[]> {
    const text = (await git(["ls-tree", "-r", "-z", commit, "--", `${folder}/`], { cwd })).toString("utf8");
    return text
        .split("\0")
        .filter((record) => record !== "")
        .flatMap((record) => {
            const tab = record.indexOf("\t");
            const [, type, id] = record.slice(0, tab).split(" ");
            return type === "blob" && id !== undefined ? [{ path: record.slice(tab + 1), id }] : [];
        });
}

/** The contents of blobs by id, read in one `git cat-file --batch`. */
export async function readBlobs(ids: readonly string[], cwd: string): Promise<Map<string, Buffer>> {
    const blobs = new Map<string, Buffer>();
    if (ids.length === 0) return blobs;
    const out = await git(["cat-file", "--batch"], { cwd, input: `${ids.join("\n")}\n` });
    let offset = 0;
    while (offset < out.length) {
        const newline = out.indexOf(0x0a, offset);
        const header = out.subarray(offset, newline).toString("utf8").split(" ");
        const [id = "", type, size] = header;
        if (type === "missing" || size === undefined) throw new GitError(`git cat-file: object ${id} missing`);
        const start = newline + 1;
        const end = start + Number(size);
        blobs.set(id, out.subarray(start, end));
        offset = end + 1;
    }
    return blobs;
}

/** Git's object ids of working-tree files, as `git add` would store them (filters applied). */
export async function hashFiles(paths: readonly string[], cwd: string): Promise<string[]> {
    if (paths.length === 0) return [];
    const out = (await git(["hash-object", "--stdin-paths"], { cwd, input: `${paths.join("\n")}\n` })).toString("utf8");
    return out.split("\n").filter((line) => line !== "");
}
