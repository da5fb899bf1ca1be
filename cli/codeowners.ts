import { runCommandProcess } from "./process.js";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parseStackConfig, type StackConfig, StackConfigError } from "../stacks/config.js";
import { lineDiff } from "./codeowners/lineDiff.js";
import { codeownersFile, type StackTeams } from "./codeowners/render.js";
import { readStackFile, stackNameProblem } from "./plan/stackFile.js";

/** Where GitHub looks first for the file (then the root, then docs/). */
export const codeownersPath = path.join(".github", "CODEOWNERS");

/** `--check`: compare the committed file with the config; exit 1 and print the diff if they differ. */
export const codeownersOptions = {
    check: { type: "boolean", default: false },
} as const;

const usage = "usage: npm run codeowners [-- --check]";
const stackFilePattern = /^Pulumi\.(.+)\.yaml$/;

/** A problem with the input that stops generation (exit 2). */
class GenerationError extends Error {}

/** The stacks whose files are in `projectDir`, sorted: CODEOWNERS is one file for every stack of the repository. */
export function stackNames(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((f) => stackFilePattern.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function validatedConfig(projectDir: string, stack: string): StackConfig {
    const raw = readStackFile(projectDir, stack);
    try {
        return parseStackConfig(raw.config, new Set(raw.secretKeys));
    } catch (error) {
        if (error instanceof StackConfigError) throw new GenerationError(`Pulumi.${stack}.yaml: ${error.message}`);
        throw error;
    }
}

/** Each stack's owner and teams, validated by the stack config schema; every stack must name its teams. */
export function stackTeams(projectDir: string): StackTeams[] {
    const stacks = stackNames(projectDir);
    if (stacks.length === 0) throw new GenerationError(`no stack file (Pulumi.<stack>.yaml) in ${projectDir}`);
    const found = stacks.map((stack): StackTeams => {
        const file = `Pulumi.${stack}.yaml`;
        // A name outside Pulumi's rule could not be written as a literal CODEOWNERS path either.
        const problem = stackNameProblem(stack, `${file}: stack name`);
        if (problem !== undefined) throw new GenerationError(problem);
        const config = validatedConfig(projectDir, stack);
        if (config.teams === undefined) {
            throw new GenerationError(
                `${file}: vauntico:teams missing; expected { Kilo: { slug, lead, members }, Cline: { … } } — CODEOWNERS names each team by its GitHub team slug`,
            );
        }
        return { stack, file, owner: config.github.owner, teams: config.teams };
    });
    const owners = [...new Set(found.map((s) => s.owner))];
    if (owners.length > 1) {
        throw new GenerationError(
            `github:owner differs between stack files (${found.map((s) => `${s.file}: ${s.owner}`).join(", ")}); expected one organization: CODEOWNERS teams must belong to the repository's organization`,
        );
    }
    return found;
}

/**
 * `npm run codeowners [-- --check]`: writes `.github/CODEOWNERS` from `vauntico:teams` and `github:owner` of every
 * stack file in the current directory; with `--check`, writes nothing and exits 1 (printing the diff) when the
 * committed file differs from what the config gives. 2: usage, config, or a file that cannot be read or written.
 */
export async function codeownersCommand(argv: string[]): Promise<number> {
    let check: boolean;
    try {
        ({
            values: { check },
        } = parseArgs({ args: argv, options: codeownersOptions, strict: true, allowPositionals: false }));
    } catch (error) {
        process.stderr.write(`codeowners: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
        return 2;
    }
    const projectDir = process.cwd();
    let expected: string;
    try {
        expected = codeownersFile(stackTeams(projectDir));
    } catch (error) {
        process.stderr.write(`codeowners: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
    }
    const target = path.join(projectDir, codeownersPath);
    if (!check) {
        try {
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, expected);
        } catch (error) {
            process.stderr.write(`codeowners: cannot write ${codeownersPath}: ${error instanceof Error ? error.message : String(error)}\n`);
            return 2;
        }
        process.stdout.write(`codeowners: wrote ${codeownersPath}\n`);
        return 0;
    }
    let committed: string | undefined;
    try {
        committed = fs.readFileSync(target, "utf8");
    } catch (error) {
        if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) {
            process.stderr.write(`codeowners: cannot read ${codeownersPath}: ${error instanceof Error ? error.message : String(error)}\n`);
            return 2;
        }
    }
    if (committed === expected) {
        process.stdout.write(`codeowners: ${codeownersPath} agrees with vauntico:teams\n`);
        return 0;
    }
    const diff = committed === undefined ? ["(the file is missing)"] : lineDiff(committed, expected);
    process.stdout.write(
        [
            `codeowners: ${codeownersPath} differs from what vauntico:teams and github:owner give (- committed, + expected):`,
            ...diff,
            "Run `npm run codeowners` and commit the file.",
            "",
        ].join("\n"),
    );
    return 1;
}

if (require.main === module) runCommandProcess("codeowners");
