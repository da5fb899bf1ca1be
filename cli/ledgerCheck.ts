import { runCommandProcess } from "./process.js";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { compareLedgers, type LedgerComparison, type LedgerSnapshot } from "./ledgerCheck/compare.js";
import { ledgerPathKind, ledgerRoot } from "./ledgerCheck/document.js";
import { GitError, git, hashFiles, listTree, mergeBase, readBlobs, resolveCommit } from "./ledgerCheck/git.js";

/**
 * `--base REF`: what the change is compared with (default: the pull request's base branch in GitHub Actions,
 * else `origin/main`, else `main`). `--head REF`: a commit to check instead of the working tree. `--history`:
 * check every commit of the head's first-parent line that changed the ledger against its parent (an audit of
 * the whole history; not with `--base`).
 */
export const ledgerCheckOptions = {
    base: { type: "string" },
    head: { type: "string" },
    history: { type: "boolean", default: false },
} as const;

const usage = "usage: npm run ledger-check [-- --base REF] [--head REF] | [-- --history [--head REF]]";
const supersede = "The ledger is append-only: correct a record by appending a new entry that supersedes it.";

/** The refs tried for the base, in order. In a pull request's workflow run, GitHub names the base branch. */
export function baseCandidates(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
    if (explicit !== undefined) return [explicit];
    const pullRequestBase = env["GITHUB_BASE_REF"];
    if (pullRequestBase) return [`origin/${pullRequestBase}`, pullRequestBase];
    return ["origin/main", "main"];
}

const emptySnapshot: LedgerSnapshot = { ledger: new Map(), evidence: new Map() };

/** The ledger as committed at `commit`. */
async function committedSnapshot(commit: string, cwd: string): Promise<LedgerSnapshot> {
    const files = await listTree(commit, ledgerRoot, cwd);
    const ledgerFiles = files.filter((f) => ledgerPathKind(f.path) === "ledger");
    const blobs = await readBlobs([...new Set(ledgerFiles.map((f) => f.id))], cwd);
    return {
        ledger: new Map(ledgerFiles.map((f) => [f.path, blobs.get(f.id)?.toString("utf8") ?? ""])),
        evidence: new Map(files.filter((f) => ledgerPathKind(f.path) === "evidence").map((f) => [f.path, f.id])),
    };
}

/** The ledger as it is on disk (committed or not). */
async function workingTreeSnapshot(cwd: string): Promise<LedgerSnapshot> {
    const root = path.join(cwd, ledgerRoot);
    const files = fs.existsSync(root)
        ? fs
              .readdirSync(root, { recursive: true, withFileTypes: true })
              .filter((d) => d.isFile())
              .map((d) => path.relative(cwd, path.join(d.parentPath, d.name)).split(path.sep).join("/"))
              .sort()
        : [];
    const evidence = files.filter((f) => ledgerPathKind(f) === "evidence");
    const ids = await hashFiles(evidence, cwd);
    return {
        ledger: new Map(files.filter((f) => ledgerPathKind(f) === "ledger").map((f) => [f, fs.readFileSync(path.join(cwd, f), "utf8")])),
        evidence: new Map(evidence.map((f, i) => [f, ids[i] ?? ""])),
    };
}

class CannotRun extends Error {}

function problemLines(comparison: LedgerComparison, prefix = ""): string[] {
    return comparison.problems.map((p) => `  ✗ ${prefix}${p.file}${p.entry === undefined ? "" : ` entry ${p.entry}`}: ${p.what}`);
}

/** The change against where it left its base: the merge base of the base ref and the head. */
async function checkAgainstBase(cwd: string, baseRef: string | undefined, headRef: string | undefined): Promise<number> {
    const candidates = baseCandidates(baseRef);
    let base: { ref: string; commit: string } | undefined;
    for (const ref of candidates) {
        const commit = await resolveCommit(ref, cwd);
        if (commit !== undefined) {
            base = { ref, commit };
            break;
        }
    }
    if (base === undefined) {
        throw new CannotRun(
            `cannot read the base (tried ${candidates.join(", ")}): fetch it (in a workflow: actions/checkout with fetch-depth: 0) or pass --base REF`,
        );
    }
    const head = await resolveCommit(headRef ?? "HEAD", cwd);
    if (head === undefined) throw new CannotRun(`cannot read ${headRef === undefined ? "HEAD (no commit yet?)" : `--head ${headRef}`}`);
    const found = base;
    const start = await mergeBase(found.commit, head, cwd).catch((error: unknown) => {
        throw new CannotRun(`${found.ref} and ${headRef ?? "HEAD"} have no common history (${error instanceof Error ? error.message : String(error)})`);
    });
    const headLabel = headRef ?? "the working tree";
    const comparison = compareLedgers(
        await committedSnapshot(start, cwd),
        headRef === undefined ? await workingTreeSnapshot(cwd) : await committedSnapshot(head, cwd),
    );
    const entries = `${comparison.baseEntries} entr${comparison.baseEntries === 1 ? "y" : "ies"}`;
    const lines = [
        `ledger-check: ${ledgerRoot}/ at ${start.slice(0, 12)} (merge base of ${found.ref} and ${headRef ?? "HEAD"}) → ${headLabel}: ${comparison.baseFiles} ledger file(s), ${entries} to keep, ${comparison.newEntries} new`,
        ...problemLines(comparison),
        comparison.problems.length === 0
            ? "ledger-check: append-only — every entry of the base is unchanged."
            : `ledger-check: ${comparison.problems.length} problem(s). ${supersede}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return comparison.problems.length === 0 ? 0 : 1;
}

/**
 * Every commit of the head's first-parent line (main's own history: merges, squashes, direct pushes) whose
 * ledger differs from its parent's, checked against that parent. In `rev-list --first-parent --reverse`, each
 * commit's first parent is the one listed before it; the oldest (a root, or a shallow clone's boundary) is
 * checked against an empty ledger.
 */
async function checkHistory(cwd: string, headRef: string | undefined): Promise<number> {
    const head = await resolveCommit(headRef ?? "HEAD", cwd);
    if (head === undefined) throw new CannotRun(`cannot read ${headRef === undefined ? "HEAD (no commit yet?)" : `--head ${headRef}`}`);
    const commits = (await git(["rev-list", "--first-parent", "--reverse", head], { cwd }))
        .toString("utf8")
        .split("\n")
        .filter((c) => c !== "");
    const prefix = (await git(["rev-parse", "--show-prefix"], { cwd })).toString("utf8").trim();
    const trees = (await git(["cat-file", "--batch-check=%(objectname)"], { cwd, input: `${commits.map((c) => `${c}:${prefix}${ledgerRoot}`).join("\n")}\n` }))
        .toString("utf8")
        .split("\n")
        .slice(0, commits.length)
        .map((line) => (line.endsWith(" missing") ? undefined : line));
    const lines: string[] = [];
    let problems = 0;
    let changed = 0;
    let before = emptySnapshot;
    for (const [i, commit] of commits.entries()) {
        if (trees[i] === (i === 0 ? undefined : trees[i - 1])) continue;
        changed++;
        const previous = commits[i - 1];
        if (previous !== undefined && trees[i - 1] !== undefined) before = await committedSnapshot(previous, cwd);
        else before = emptySnapshot;
        const after = await committedSnapshot(commit, cwd);
        const comparison = compareLedgers(before, after);
        problems += comparison.problems.length;
        lines.push(...problemLines(comparison, `${commit.slice(0, 12)} `));
    }
    process.stdout.write(
        [
            `ledger-check --history: ${commits.length} commit(s) on the first-parent line of ${headRef ?? "HEAD"}, ${changed} changed ${ledgerRoot}/`,
            ...lines,
            problems === 0
                ? "ledger-check: append-only throughout — no commit edited or deleted an entry."
                : `ledger-check: ${problems} problem(s) in the history. ${supersede}`,
            "",
        ].join("\n"),
    );
    return problems === 0 ? 0 : 1;
}

/**
 * `npm run ledger-check`: the handoff ledger is append-only. Compares the ledger at the merge base of the base
 * ref and the head (what this change started from) with the head: every entry there must still be there,
 * unchanged; no file deleted; no id used twice; evidence files never changed. Exit 0 when it holds, 1 naming
 * each file, entry and change when it does not, 2 on usage or when git or a ref cannot be read.
 */
export async function ledgerCheckCommand(argv: string[]): Promise<number> {
    let values: { base?: string | undefined; head?: string | undefined; history: boolean };
    try {
        ({ values } = parseArgs({ args: argv, options: ledgerCheckOptions, strict: true, allowPositionals: false }));
        if (values.history && values.base !== undefined) throw new Error("--history checks every commit against its parent; it takes no --base");
    } catch (error) {
        process.stderr.write(`ledger-check: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
        return 2;
    }
    const cwd = process.cwd();
    try {
        await git(["rev-parse", "--is-inside-work-tree"], { cwd }).catch((error: unknown) => {
            throw new CannotRun(`${cwd} is not in a git repository (${error instanceof Error ? error.message : String(error)})`);
        });
        return values.history ? await checkHistory(cwd, values.head) : await checkAgainstBase(cwd, values.base, values.head);
    } catch (error) {
        if (error instanceof CannotRun || error instanceof GitError) {
            process.stderr.write(`ledger-check: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
}

if (require.main === module) runCommandProcess("ledger-check");
