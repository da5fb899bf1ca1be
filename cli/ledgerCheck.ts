import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { compareLedgers, type LedgerSnapshot } from "./ledgerCheck/compare.js";
import { ledgerPathKind, ledgerRoot } from "./ledgerCheck/document.js";
import { GitError, git, hashFiles, listTree, mergeBase, readBlobs, resolveCommit } from "./ledgerCheck/git.js";

/**
 * `--base REF`: what the change is compared with (default: the pull request's base branch in GitHub Actions,
 * else `origin/main`, else `main`). `--head REF`: a commit to check instead of the working tree.
 */
export const ledgerCheckOptions = {
    base: { type: "string" },
    head: { type: "string" },
} as const;

const usage = "usage: npm run ledger-check [-- --base REF] [--head REF]";

/** The refs tried for the base, in order. In a pull request's workflow run, GitHub names the base branch. */
export function baseCandidates(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
    if (explicit !== undefined) return [explicit];
    const pullRequestBase = env["GITHUB_BASE_REF"];
    if (pullRequestBase) return [`origin/${pullRequestBase}`, pullRequestBase];
    return ["origin/main", "main"];
}

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
        ? fs.readdirSync(root, { recursive: true, withFileTypes: true })
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

/**
 * `npm run ledger-check`: the handoff ledger is append-only. Compares the ledger at the merge base of the base
 * ref and the head (what this change started from) with the head: every entry there must still be there,
 * unchanged; no file deleted; no id used twice; evidence files never changed. Exit 0 when it holds, 1 naming
 * each file, entry and change when it does not, 2 when git or a ref cannot be read.
 */
export async function ledgerCheckCommand(argv: string[]): Promise<number> {
    let values: { base?: string | undefined; head?: string | undefined };
    try {
        ({ values } = parseArgs({ args: argv, options: ledgerCheckOptions, strict: true, allowPositionals: false }));
    } catch (error) {
        process.stderr.write(`ledger-check: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
        return 2;
    }
    const cwd = process.cwd();
    try {
        await git(["rev-parse", "--is-inside-work-tree"], { cwd }).catch((error: unknown) => {
            throw new CannotRun(`${cwd} is not in a git repository (${error instanceof Error ? error.message : String(error)})`);
        });
        const candidates = baseCandidates(values.base);
        let base: { ref: string; commit: string } | undefined;
        for (const ref of candidates) {
            const commit = await resolveCommit(ref, cwd);
            if (commit !== undefined) {
                base = { ref, commit };
                break;
            }
        }
        if (base === undefined) {
            throw new CannotRun(`cannot read the base (tried ${candidates.join(", ")}): fetch it (in a workflow: actions/checkout with fetch-depth: 0) or pass --base REF`);
        }
        const headRef = values.head ?? "HEAD";
        const head = await resolveCommit(headRef, cwd);
        if (head === undefined) throw new CannotRun(`cannot read ${values.head === undefined ? "HEAD (no commit yet?)" : `--head ${headRef}`}`);
        const start = await mergeBase(base.commit, head, cwd).catch((error: unknown) => {
            throw new CannotRun(`${base.ref} and ${headRef} have no common history (${error instanceof Error ? error.message : String(error)})`);
        });
        const headLabel = values.head === undefined ? "the working tree" : headRef;
        const comparison = compareLedgers(
            await committedSnapshot(start, cwd),
            values.head === undefined ? await workingTreeSnapshot(cwd) : await committedSnapshot(head, cwd),
        );
        const lines = [`ledger-check: ${ledgerRoot}/ at ${start.slice(0, 12)} (merge base of ${base.ref} and ${headRef}) → ${headLabel}: ${comparison.baseFiles} ledger file(s), ${comparison.baseEntries} entr${comparison.baseEntries === 1 ? "y" : "ies"} to keep, ${comparison.newEntries} new`];
        for (const problem of comparison.problems) lines.push(`  ✗ ${problem.file}${problem.entry === undefined ? "" : ` entry ${problem.entry}`}: ${problem.what}`);
        lines.push(comparison.problems.length === 0
            ? "ledger-check: append-only — every entry of the base is unchanged."
            : `ledger-check: ${comparison.problems.length} problem(s). The ledger is append-only: correct a record by appending a new entry that supersedes it.`);
        process.stdout.write(`${lines.join("\n")}\n`);
        return comparison.problems.length === 0 ? 0 : 1;
    } catch (error) {
        if (error instanceof CannotRun || error instanceof GitError) {
            process.stderr.write(`ledger-check: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
}

if (require.main === module) {
    ledgerCheckCommand(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
        process.stderr.write(`ledger-check: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 2;
    });
}
