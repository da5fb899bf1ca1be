import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { codeownersCommand, codeownersPath } from "../../cli/codeowners.js";
import { captureOutput } from "../support/capturedOutput.js";
import { projectDir } from "../support/stackFiles.js";

const output = captureOutput();

const made: string[] = [];
/** A temp folder removed after the test. */
function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
}
afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A temporary copy of the project's stack files and committed CODEOWNERS, with the prod stack file's config
 * edited through the YAML library (comments kept), as a person would edit it.
 */
function projectCopy(edit?: (config: ReturnType<typeof parseDocument>) => void, extraStacks: Record<string, string> = {}): string {
    const dir = tempDir("codeowners-");
    fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const document = parseDocument(fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8"));
    edit?.(document);
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), document.toString());
    for (const [stack, text] of Object.entries(extraStacks)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    fs.mkdirSync(path.join(dir, ".github"));
    fs.copyFileSync(path.join(projectDir, codeownersPath), path.join(dir, codeownersPath));
    return dir;
}

async function runIn(dir: string, argv: string[]): Promise<number> {
    process.chdir(dir);
    return codeownersCommand(argv);
}

describe("codeowners --check on the repository", () => {
    it("the committed .github/CODEOWNERS agrees with vauntico:teams and github:owner", async () => {
        expect(await runIn(projectDir, ["--check"])).toBe(0);
        expect(output.stdout).toContain("agrees with vauntico:teams");
    });

    it("writes nothing in check mode", async () => {
        const dir = projectCopy((doc) => doc.setIn(["config", "vauntico:teams", "Kilo", "slug"], "kilo-platform"));
        const before = fs.readFileSync(path.join(dir, codeownersPath), "utf8");
        expect(await runIn(dir, ["--check"])).toBe(1);
        expect(fs.readFileSync(path.join(dir, codeownersPath), "utf8")).toBe(before);
    });
});

describe("codeowners --check when the file and the config disagree", () => {
    it("a copy of the unchanged config agrees (the baseline of the cases below)", async () => {
        expect(await runIn(projectCopy(), ["--check"])).toBe(0);
    });

    it("a changed Kilo slug fails, and the diff shows Kilo's sign-off line old and new", async () => {
        expect(await runIn(projectCopy((doc) => doc.setIn(["config", "vauntico:teams", "Kilo", "slug"], "kilo-platform")), ["--check"])).toBe(1);
        expect(output.stdout).toMatch(/^- *\d+: \/handoff\/prod\/sign-offs\/kilo\.yaml +@vauntico\/kilo-dev$/m);
        expect(output.stdout).toMatch(/^\+ *\d+: \/handoff\/prod\/sign-offs\/kilo\.yaml +@vauntico\/kilo-platform$/m);
        expect(output.stdout).toContain("Run `npm run codeowners`");
    });

    it("a changed Cline slug fails", async () => {
        expect(await runIn(projectCopy((doc) => doc.setIn(["config", "vauntico:teams", "Cline", "slug"], "cline-sre")), ["--check"])).toBe(1);
        expect(output.stdout).toMatch(/^\+ *\d+: \/handoff\/prod\/sign-offs\/cline\.yaml +@vauntico\/cline-sre$/m);
    });

    it("a changed github:owner fails", async () => {
        expect(await runIn(projectCopy((doc) => doc.setIn(["config", "github:owner"], "vauntico-labs")), ["--check"])).toBe(1);
        expect(output.stdout).toMatch(/^\+ *\d+: \* +@vauntico-labs\/kilo-dev @vauntico-labs\/cline-ops$/m);
    });

    it("a hand edit of the file fails (one character)", async () => {
        const dir = projectCopy();
        const file = path.join(dir, codeownersPath);
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("@vauntico/cline-ops\n", "@vauntico/cline-op\n"));
        expect(await runIn(dir, ["--check"])).toBe(1);
    });

    it("a missing file fails", async () => {
        const dir = projectCopy();
        fs.rmSync(path.join(dir, codeownersPath));
        expect(await runIn(dir, ["--check"])).toBe(1);
        expect(output.stdout).toContain("missing");
    });

    it("a change elsewhere in the stack file (the phase) does not", async () => {
        expect(await runIn(projectCopy((doc) => doc.setIn(["config", "vauntico:phase"], 2)), ["--check"])).toBe(0);
    });
});

describe("codeowners (write mode)", () => {
    it("rewrites the file from the config, after which --check agrees", async () => {
        const dir = projectCopy((doc) => doc.setIn(["config", "vauntico:teams", "Kilo", "slug"], "kilo-platform"));
        expect(await runIn(dir, [])).toBe(0);
        expect(fs.readFileSync(path.join(dir, codeownersPath), "utf8")).toContain("@vauntico/kilo-platform");
        expect(await runIn(dir, ["--check"])).toBe(0);
    });

    it("generates lines for every stack file present, each stack with its own teams", async () => {
        const staging = fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8").replace("slug: kilo-dev", "slug: kilo-staging");
        const dir = projectCopy(undefined, { staging });
        expect(await runIn(dir, [])).toBe(0);
        const text = fs.readFileSync(path.join(dir, codeownersPath), "utf8");
        expect(text).toMatch(/^\/handoff\/prod\/sign-offs\/kilo\.yaml +@vauntico\/kilo-dev$/m);
        expect(text).toMatch(/^\/handoff\/staging\/sign-offs\/kilo\.yaml +@vauntico\/kilo-staging$/m);
        // Shared paths: every team of every stack, each once.
        expect(text).toMatch(/^\/policy\/ +@vauntico\/kilo-dev @vauntico\/cline-ops @vauntico\/kilo-staging$/m);
        expect(text).toContain("(Pulumi.prod.yaml, Pulumi.staging.yaml)");
    });
});

describe("codeowners on bad input exits 2 and writes nothing", () => {
    const cases: { title: string; edit?: (doc: ReturnType<typeof parseDocument>) => void; extra?: Record<string, string>; argv?: string[]; message: RegExp }[] = [
        { title: "vauntico:teams missing", edit: (doc) => doc.deleteIn(["config", "vauntico:teams"]), message: /Pulumi\.prod\.yaml: [\s\S]*vauntico:teams: missing; expected the two teams, Kilo and Cline/ },
        { title: "a team slug that is not a slug", edit: (doc) => doc.setIn(["config", "vauntico:teams", "Kilo", "slug"], "Kilo Dev"), message: /vauntico:teams\.Kilo\.slug/ },
        { title: "both teams with one slug", edit: (doc) => doc.setIn(["config", "vauntico:teams", "Cline", "slug"], "kilo-dev"), message: /vauntico:teams\.Cline\.slug/ },
        {
            title: "stacks of different organizations",
            extra: { other: fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8").replace("github:owner: vauntico", "github:owner: someone-else") },
            message: /github:owner differs between stack files \(Pulumi\.other\.yaml: someone-else, Pulumi\.prod\.yaml: vauntico\)/,
        },
        { title: "a stack named like the evidence folder", extra: { evidence: fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8") }, message: /"evidence"/ },
        { title: "an unknown flag", argv: ["--chek"], message: /--chek/ },
        { title: "a positional argument", argv: ["prod"], message: /prod/ },
    ];

    it.each(cases)("$title", async ({ edit, extra, argv, message }) => {
        const dir = projectCopy(edit, extra);
        const file = path.join(dir, codeownersPath);
        fs.writeFileSync(file, "# sentinel\n");
        expect(await runIn(dir, argv ?? [])).toBe(2);
        expect(output.stderr).toMatch(message);
        expect(fs.readFileSync(file, "utf8")).toBe("# sentinel\n");
    });

    it("no stack file at all", async () => {
        const dir = tempDir("codeowners-empty-");
        expect(await runIn(dir, [])).toBe(2);
        expect(output.stderr).toContain("no stack file");
        expect(fs.existsSync(path.join(dir, codeownersPath))).toBe(false);
    });
});
