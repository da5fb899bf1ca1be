import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { StackFileError } from "../../../cli/errors.js";
import { readStackFile, stackNameProblem } from "../../../cli/plan/stackFile.js";
import { credentialKeys } from "../../../stacks/credentials.js";
import { prodStackText, projectWithStackFile } from "../../support/commandProcess.js";

function readError(dir: string, stack = "prod"): StackFileError {
    try {
        readStackFile(dir, stack);
    } catch (error) {
        if (error instanceof StackFileError) return error;
        throw error;
    }
    throw new Error("expected a StackFileError");
}

const canary = "sk_live_CANARYyaml0123456789";

describe("YAML syntax errors name file, line, column and kind, never the source", () => {
    it.each([
        { title: "unclosed flow sequence", text: `config:\n  vauntico:stripeSecretKey: [${canary}\n`, line: 3 },
        { title: "bad indentation", text: `config:\n  vauntico:phase: 1\n    vauntico:stripeSecretKey: ${canary}\n`, line: 2 },
        { title: "unterminated quote", text: `config:\n  vauntico:phase: 1\n  github:token: "${canary}\n`, line: 4 },
        { title: "duplicate key", text: `config:\n  github:token: ${canary}\n  github:token: ${canary}\n`, line: 3 },
        { title: "tab indentation", text: `config:\n\tgithub:token: ${canary}\n`, line: 2 },
    ])("$title", ({ text, line }) => {
        const dir = projectWithStackFile(text);
        const error = readError(dir);
        expect(error.message).toMatch(
            new RegExp(`^${path.join(dir, "Pulumi.prod.yaml").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${line}:\\d+: YAML syntax error: [a-z ]+`),
        );
        expect(error.message).not.toContain("CANARY");
        expect(error.message).not.toContain("\n");
    });

    it("a stack file that is YAML but not a mapping, or whose config is not one, is refused by name", () => {
        expect(readError(projectWithStackFile(`- ${canary}\n`)).message).toContain("expected a YAML mapping with a `config:` key");
        expect(readError(projectWithStackFile(`config: ${canary}\n`)).message).toContain("`config:` must be a mapping");
        for (const text of [`- ${canary}\n`, `config: ${canary}\n`]) expect(readError(projectWithStackFile(text)).message).not.toContain("CANARY");
    });

    it("an unreadable Pulumi.yaml is a StackFileError too", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackfile-"));
        expect(readError(dir).message).toContain("Pulumi.yaml: cannot be read (ENOENT)");
    });
});

describe("stack names: Pulumi's rule", () => {
    it.each(["prod", "a", "A-b_c.d", "a".repeat(100), "...", "evidence2", "evidenc"])("%s is a stack name", (name) =>
        expect(stackNameProblem(name)).toBeUndefined(),
    );
    it.each([
        ["evidence", "cannot be a ledger folder: handoff/evidence/ holds the evidence files"],
        [".", "cannot be a ledger folder: handoff/./ is not a folder of its own"],
        ["..", "cannot be a ledger folder: handoff/../ is not a folder of its own"],
    ])("%j matches Pulumi's rule but cannot be a ledger folder", (name, message) => {
        expect(stackNameProblem(name)).toBe(`--stack ${JSON.stringify(name)}: ${message}`);
        expect(stackNameProblem(name, "Pulumi.x.yaml: stack name")).toBe(`Pulumi.x.yaml: stack name ${JSON.stringify(name)}: ${message}`);
        expect(readError(projectWithStackFile(prodStackText()), name).message).toContain(message);
    });
    it.each(["", "a".repeat(101), "../prod", "x::y", "a/b", "a b", "prod\n"])("%j is not", (name) => {
        expect(stackNameProblem(name)).toContain("Pulumi's stack name rule");
        expect(readError(projectWithStackFile(prodStackText()), name).message).toContain("--stack");
    });
});

describe("credentials absent from the stack file", () => {
    it("are stood in by secret placeholders and named, so preflight runs offline", () => {
        const file = readStackFile(path.resolve(__dirname, "../../.."), "prod");
        expect([...(file.standIns ?? [])].sort()).toEqual([...credentialKeys].sort());
        for (const key of credentialKeys) {
            expect(file.secretKeys).toContain(key);
            expect(file.config[key]).toMatch(/placeholder/);
        }
    });

    it("only those the settings need: no Sentry settings, no sentry:token stand-in", () => {
        const text = prodStackText().replace(/\n {2}vauntico:sentry:\n(?: {4}.*\n|\s*#.*\n)*/, "\n");
        expect(text).not.toContain("vauntico:sentry:");
        const file = readStackFile(projectWithStackFile(text), "prod");
        expect(file.standIns).not.toContain("sentry:token");
        expect(file.config["sentry:token"]).toBeUndefined();
    });
});
