import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { baseCandidates, ledgerCheckCommand } from "../../cli/ledgerCheck.js";
import { captureOutput } from "../support/capturedOutput.js";
import { gitIn } from "../support/git.js";

const output = captureOutput();

beforeEach(() => {
    // In a pull request's workflow run GitHub sets it; these tests choose their base themselves.
    vi.stubEnv("GITHUB_BASE_REF", "");
});
const made: string[] = [];
/** A temp folder removed after the test. */
function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
}
afterEach(() => {
    vi.unstubAllEnvs();
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const kiloSignOffs = "handoff/prod/sign-offs/kilo.yaml";
const acceptances = "handoff/prod/acceptances.yaml";
const evidence = "handoff/evidence/p1-secrets-report.md";

const kiloV1 = `# Kilo's sign-offs (written by \`npm run handoff -- sign\`)
- id: kilo-0001
  kind: sign-off
  item: p1.secrets-reviewed
  by: kilo-dev-lead
  at: "2026-11-30T10:00:00Z"
  evidence: https://github.com/vauntico/vauntico-mvp/pull/12
- id: kilo-0002
  kind: sign-off
  item: p1.handoff-meeting
  by: kilo-dev-engineer
  at: "2026-11-30T11:00:00Z"
  evidence:
    path: ${evidence}
    sha256: 0f343b0931126a20f133d67c2b018a3b8bb6e6b4e1d5b0c5b6f3a8a2c3e4f5a6
`;

const kiloAppended = `${kiloV1}- id: kilo-0003
  kind: sign-off
  item: p1.protection-verified
  by: kilo-dev-lead
  at: "2026-12-01T09:00:00Z"
  evidence: https://github.com/vauntico/vauntico-mvp/pull/14
`;

const acceptancesV1 = `entries:
  - id: accept-1
    kind: acceptance
    phase: 1
    by: cline-ops-lead
    score: 5
`;

function write(repo: string, file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
}

function commitAll(repo: string, message: string): void {
    gitIn(repo, "add", "-A");
    gitIn(repo, "commit", "-q", "--allow-empty", "-m", message);
}

const templates = new Map<string, string>();
afterAll(() => {
    for (const dir of templates.values()) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A repository whose `main` holds a ledger (commit 1), checked out on a branch `change` made from it: a copy
 * of one made once per base branch name (git's own files copied, so each test has its own repository).
 */
function ledgerRepo(branch = "main"): string {
    let template = templates.get(branch);
    if (template === undefined) {
        template = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-check-template-"));
        templates.set(branch, template);
        gitIn(template, "init", "-q", "-b", branch);
        write(template, kiloSignOffs, kiloV1);
        write(template, "handoff/prod/sign-offs/cline.yaml", "[]\n");
        write(template, acceptances, acceptancesV1);
        write(template, evidence, "# Secrets report\nJWT_SECRET 512 bits\n");
        write(template, "handoff/README.md", "How the ledger works.\n");
        commitAll(template, "ledger: phase 1 sign-offs");
        gitIn(template, "checkout", "-q", "-b", "change");
    }
    const repo = tempDir("ledger-check-");
    fs.cpSync(template, repo, { recursive: true });
    return repo;
}

/** Applies a change on the branch, commits it (the second commit), and runs the check against main. */
async function checkChange(change: (repo: string) => void, argv: string[] = ["--base", "main"]): Promise<number> {
    const repo = ledgerRepo();
    change(repo);
    commitAll(repo, "the change under review");
    process.chdir(repo);
    return ledgerCheckCommand(argv);
}

describe("ledger-check on two commits: the protocol's four cases", () => {
    it("(a) appending an entry passes", async () => {
        expect(await checkChange((repo) => write(repo, kiloSignOffs, kiloAppended))).toBe(0);
        expect(output.stdout).toContain("3 ledger file(s), 3 entries to keep, 1 new");
        expect(output.stdout).toContain("append-only");
    });

    it("(b) editing an entry fails, naming the file, the entry and the field with its old and new value", async () => {
        expect(await checkChange((repo) => write(repo, kiloSignOffs, kiloV1.replace('at: "2026-11-30T10:00:00Z"', 'at: "2026-11-29T10:00:00Z"')))).toBe(1);
        expect(output.stdout).toContain(`✗ ${kiloSignOffs} entry "kilo-0001": edited: at: "2026-11-30T10:00:00Z" → "2026-11-29T10:00:00Z"`);
        expect(output.stdout).toContain("correct a record by appending a new entry that supersedes it");
    });

    it("(c) deleting an entry fails", async () => {
        const withoutSecond = kiloV1.slice(0, kiloV1.indexOf("- id: kilo-0002"));
        expect(await checkChange((repo) => write(repo, kiloSignOffs, withoutSecond))).toBe(1);
        expect(output.stdout).toContain(`✗ ${kiloSignOffs} entry "kilo-0002": deleted`);
        expect(output.stdout).not.toContain('kilo-0001": ');
    });

    it("(d) deleting a file fails, listing what it held", async () => {
        expect(await checkChange((repo) => fs.rmSync(path.join(repo, kiloSignOffs)))).toBe(1);
        expect(output.stdout).toContain(`✗ ${kiloSignOffs}: file deleted (it held 2 entries: "kilo-0001", "kilo-0002")`);
    });

    it("deleting an empty ledger file fails too (the file is part of the layout)", async () => {
        expect(await checkChange((repo) => fs.rmSync(path.join(repo, "handoff/prod/sign-offs/cline.yaml")))).toBe(1);
        expect(output.stdout).toContain("file deleted (it held 0 entries)");
    });
});

describe("ledger-check: what an edit is", () => {
    it("comments, quoting, flow style and the order of an entry's fields may change: entries compare as parsed values", async () => {
        const reformatted = `# Kilo's sign-offs — reformatted
- {at: "2026-11-30T10:00:00Z", id: 'kilo-0001', kind: sign-off, item: p1.secrets-reviewed, by: kilo-dev-lead, evidence: "https://github.com/vauntico/vauntico-mvp/pull/12"}
# the meeting
- id: kilo-0002
  kind: sign-off
  item: p1.handoff-meeting
  by: kilo-dev-engineer   # the engineer ran it
  at: "2026-11-30T11:00:00Z"
  evidence: {path: ${evidence}, sha256: 0f343b0931126a20f133d67c2b018a3b8bb6e6b4e1d5b0c5b6f3a8a2c3e4f5a6}
`;
        expect(await checkChange((repo) => write(repo, kiloSignOffs, reformatted))).toBe(0);
    });

    it('a value that reads the same but parses differently is an edit (score 5 → "5")', async () => {
        expect(await checkChange((repo) => write(repo, acceptances, acceptancesV1.replace("score: 5", 'score: "5"')))).toBe(1);
        expect(output.stdout).toContain(`✗ ${acceptances} entry "accept-1": edited: score: 5 → "5"`);
    });

    it("an added field and a removed field are edits, each named", async () => {
        const edited = acceptancesV1.replace("    score: 5\n", "    meeting: 2026-11-30\n");
        expect(await checkChange((repo) => write(repo, acceptances, edited))).toBe(1);
        expect(output.stdout).toContain('edited: score removed (was 5); meeting added ("2026-11-30")');
    });

    it("a nested field's change is an edit (evidence hash)", async () => {
        expect(await checkChange((repo) => write(repo, kiloSignOffs, kiloV1.replace("sha256: 0f34", "sha256: 1f34")))).toBe(1);
        expect(output.stdout).toContain('entry "kilo-0002": edited: evidence:');
    });

    it("a reused id is refused, even with the original untouched", async () => {
        const duplicate = `${kiloV1}- id: kilo-0001\n  kind: sign-off\n  item: p1.other\n  by: kilo-dev-lead\n  at: "2026-12-01T09:00:00Z"\n`;
        expect(await checkChange((repo) => write(repo, kiloSignOffs, duplicate))).toBe(1);
        expect(output.stdout).toContain(`✗ ${kiloSignOffs} entry "kilo-0001": id used 2 times (entries #1, #3)`);
    });

    it("a new entry without a string id is refused", async () => {
        expect(await checkChange((repo) => write(repo, kiloSignOffs, `${kiloV1}- id: 7\n  kind: sign-off\n`))).toBe(1);
        expect(output.stdout).toContain(`✗ ${kiloSignOffs} entry #3: has no id`);
    });

    it("a ledger file that no longer parses is refused, with the parser's reason", async () => {
        expect(await checkChange((repo) => write(repo, kiloSignOffs, `${kiloV1}- id: kilo-0003\n  by: a\n  by: b\n`))).toBe(1);
        expect(output.stdout).toContain(`✗ ${kiloSignOffs}: not a readable ledger: Map keys must be unique`);
    });

    it("moving an entry to another file is a deletion (entries are tracked per file)", async () => {
        expect(
            await checkChange((repo) => {
                write(repo, kiloSignOffs, kiloV1.slice(0, kiloV1.indexOf("- id: kilo-0002")));
                write(repo, "handoff/prod/sign-offs/cline.yaml", kiloV1.slice(kiloV1.indexOf("- id: kilo-0002")));
            }),
        ).toBe(1);
        expect(output.stdout).toContain(`${kiloSignOffs} entry "kilo-0002": deleted`);
    });

    it("a new ledger file and a new stack's folder pass", async () => {
        expect(
            await checkChange((repo) => {
                write(repo, "handoff/prod/waivers.yaml", "- id: waiver-1\n  gate: p1-default-branch-protected\n");
                write(repo, "handoff/staging/phase-moves.yaml", "entries:\n  - id: move-1\n    from: 1\n    to: 2\n");
            }),
        ).toBe(0);
        expect(output.stdout).toContain("2 new");
    });

    it("files under handoff/ that are not ledger files may change", async () => {
        expect(await checkChange((repo) => write(repo, "handoff/README.md", "Rewritten.\n"))).toBe(0);
    });
});

describe("ledger-check: evidence is write-once", () => {
    it("a changed evidence file fails", async () => {
        expect(await checkChange((repo) => write(repo, evidence, "# Secrets report\nJWT_SECRET 256 bits\n"))).toBe(1);
        expect(output.stdout).toContain(`✗ ${evidence}: evidence file changed`);
    });

    it("a deleted evidence file fails", async () => {
        expect(await checkChange((repo) => fs.rmSync(path.join(repo, evidence)))).toBe(1);
        expect(output.stdout).toContain(`✗ ${evidence}: evidence file deleted`);
    });

    it("a new evidence file passes", async () => {
        expect(await checkChange((repo) => write(repo, "handoff/evidence/p2-alert-test.png", "\u0089PNG fake"))).toBe(0);
    });
});

describe("ledger-check: what is compared with what", () => {
    it("checks the working tree by default: an uncommitted edit fails; --head HEAD checks the commit instead", async () => {
        const repo = ledgerRepo();
        write(repo, kiloSignOffs, kiloV1.replace("kilo-dev-engineer", "kilo-dev-lead"));
        process.chdir(repo);
        expect(await ledgerCheckCommand(["--base", "main"])).toBe(1);
        expect(output.stdout).toContain('entry "kilo-0002": edited: by: "kilo-dev-engineer" → "kilo-dev-lead"');
        expect(await ledgerCheckCommand(["--base", "main", "--head", "HEAD"])).toBe(0);
    });

    it("--head names a past commit: the bad change is found in history", async () => {
        const repo = ledgerRepo();
        write(repo, kiloSignOffs, kiloV1.replace("p1.handoff-meeting", "p1.secrets-reviewed"));
        commitAll(repo, "bad");
        write(repo, kiloSignOffs, kiloV1);
        commitAll(repo, "undo");
        process.chdir(repo);
        expect(await ledgerCheckCommand(["--base", "main", "--head", "HEAD~1"])).toBe(1);
        expect(await ledgerCheckCommand(["--base", "main", "--head", "HEAD"])).toBe(0);
    });

    it("compares with where the branch left the base, so entries the base gained since are not 'deleted'", async () => {
        const repo = ledgerRepo();
        gitIn(repo, "checkout", "-q", "main");
        write(repo, acceptances, `${acceptancesV1}  - id: accept-2\n    kind: acceptance\n    phase: 2\n    by: kilo-dev-lead\n    score: 4\n`);
        commitAll(repo, "main moves on");
        gitIn(repo, "checkout", "-q", "change");
        write(repo, kiloSignOffs, kiloAppended);
        commitAll(repo, "the branch appends");
        process.chdir(repo);
        expect(await ledgerCheckCommand(["--base", "main"])).toBe(0);
    });

    it("defaults to origin/main over main", async () => {
        const repo = ledgerRepo();
        const first = gitIn(repo, "rev-parse", "main").trim();
        gitIn(repo, "checkout", "-q", "main");
        write(repo, kiloSignOffs, kiloV1.replace("pull/12", "pull/13"));
        commitAll(repo, "an edit made on local main");
        gitIn(repo, "update-ref", "refs/remotes/origin/main", first);
        process.chdir(repo);
        expect(await ledgerCheckCommand([])).toBe(1);
        expect(output.stdout).toContain("merge base of origin/main and HEAD");
        expect(output.stdout).toContain('evidence: "https://github.com/vauntico/vauntico-mvp/pull/12" → "https://github.com/vauntico/vauntico-mvp/pull/13"');
    });

    it("in a pull request's workflow run, uses the base branch GitHub names", async () => {
        const repo = ledgerRepo("trunk");
        write(repo, kiloSignOffs, "[]\n");
        commitAll(repo, "deletes everything");
        process.chdir(repo);
        vi.stubEnv("GITHUB_BASE_REF", "trunk");
        expect(await ledgerCheckCommand([])).toBe(1);
        expect(output.stdout).toContain("merge base of trunk and HEAD");
    });

    it("baseCandidates: --base, else the pull request's base (remote first), else origin/main then main", () => {
        expect(baseCandidates("v1.2", { GITHUB_BASE_REF: "main" })).toEqual(["v1.2"]);
        expect(baseCandidates(undefined, { GITHUB_BASE_REF: "release" })).toEqual(["origin/release", "release"]);
        expect(baseCandidates(undefined, { GITHUB_BASE_REF: "" })).toEqual(["origin/main", "main"]);
        expect(baseCandidates(undefined, {})).toEqual(["origin/main", "main"]);
    });
});

describe("ledger-check --history: every commit of the first-parent line against its parent", () => {
    /** main: the ledger (commit 1), then a commit that does not touch it, then `changes` one commit each. */
    function historyRepo(...changes: ((repo: string) => void)[]): string {
        const repo = ledgerRepo();
        gitIn(repo, "checkout", "-q", "main");
        write(repo, "README.md", "unrelated\n");
        commitAll(repo, "not the ledger");
        for (const change of changes) {
            change(repo);
            commitAll(repo, "a ledger change");
        }
        process.chdir(repo);
        return repo;
    }

    it("an append-only history passes, and commits that did not touch the ledger are skipped", async () => {
        historyRepo((repo) => write(repo, kiloSignOffs, kiloAppended));
        expect(await ledgerCheckCommand(["--history"])).toBe(0);
        expect(output.stdout).toContain("3 commit(s) on the first-parent line of HEAD, 2 changed handoff/");
        expect(output.stdout).toContain("append-only throughout");
    });

    it("an edit in the past fails, naming the commit, even after it was undone", async () => {
        const repo = historyRepo(
            (r) => write(r, kiloSignOffs, kiloV1.replace("kilo-dev-engineer", "kilo-dev-lead")),
            (r) => write(r, kiloSignOffs, kiloV1),
        );
        const edit = gitIn(repo, "rev-parse", "HEAD~1").trim().slice(0, 12);
        expect(await ledgerCheckCommand(["--history"])).toBe(1);
        expect(output.stdout).toContain(`✗ ${edit} ${kiloSignOffs} entry "kilo-0002": edited: by: "kilo-dev-engineer" → "kilo-dev-lead"`);
        // The undo is an edit too: its parent held the edited entry. History keeps both.
        const undo = gitIn(repo, "rev-parse", "HEAD").trim().slice(0, 12);
        expect(output.stdout).toContain(`✗ ${undo} ${kiloSignOffs} entry "kilo-0002": edited: by: "kilo-dev-lead" → "kilo-dev-engineer"`);
        expect(output.stdout).toContain("2 problem(s) in the history");
        expect(await ledgerCheckCommand(["--history", "--head", "HEAD~2"])).toBe(0);
    });

    it("a merge commit is checked as one change of main (what the merge did)", async () => {
        const repo = ledgerRepo();
        write(repo, acceptances, "entries: []\n");
        commitAll(repo, "branch deletes an acceptance");
        gitIn(repo, "checkout", "-q", "main");
        gitIn(repo, "merge", "-q", "--no-ff", "-m", "merge", "change");
        process.chdir(repo);
        expect(await ledgerCheckCommand(["--history"])).toBe(1);
        expect(output.stdout).toContain(`${acceptances} entry "accept-1": deleted`);
    });

    it("takes no --base", async () => {
        expect(await ledgerCheckCommand(["--history", "--base", "main"])).toBe(2);
        expect(output.stderr).toContain("it takes no --base");
    });
});

describe("ledger-check cannot run: exit 2", () => {
    it("a base that does not exist", async () => {
        expect(await checkChange(() => undefined, ["--base", "no-such-branch"])).toBe(2);
        expect(output.stderr).toContain("cannot read the base (tried no-such-branch)");
    });

    it("no default base: neither origin/main nor main", async () => {
        const repo = ledgerRepo("trunk");
        process.chdir(repo);
        expect(await ledgerCheckCommand([])).toBe(2);
        expect(output.stderr).toContain("tried origin/main, main");
        expect(output.stderr).toContain("fetch-depth: 0");
    });

    it("a --head that does not exist", async () => {
        expect(await checkChange(() => undefined, ["--base", "main", "--head", "nope"])).toBe(2);
        expect(output.stderr).toContain("cannot read --head nope");
    });

    it("a base with no common history", async () => {
        const repo = ledgerRepo();
        gitIn(repo, "checkout", "-q", "--orphan", "elsewhere");
        commitAll(repo, "unrelated root");
        gitIn(repo, "checkout", "-q", "change");
        process.chdir(repo);
        expect(await ledgerCheckCommand(["--base", "elsewhere"])).toBe(2);
        expect(output.stderr).toContain("no common history");
    });

    it("not a git repository", async () => {
        process.chdir(tempDir("not-a-repo-"));
        expect(await ledgerCheckCommand(["--base", "main"])).toBe(2);
        expect(output.stderr).toContain("not in a git repository");
    });

    it("an unknown flag or an argument", async () => {
        expect(await ledgerCheckCommand(["--bse", "main"])).toBe(2);
        expect(output.stderr).toContain("--bse");
        expect(await ledgerCheckCommand(["main"])).toBe(2);
        expect(output.stderr).toContain("usage: npm run ledger-check");
    });
});
