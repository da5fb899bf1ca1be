import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { type CommandEntry, commands, isGroup } from "./commands.js";
import { UsageError } from "./errors.js";
import { exitCodes } from "./exitCodes.js";
import { entryHelp, groupHelp, invocation } from "./help.js";
import { stackNameProblem } from "./plan/stackFile.js";

/** Where a command writes: stdout for results and help, stderr for errors. */
export interface CommandIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

export const processIo: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

/** A value from the command line, safe to echo: quoted, and cut short. */
function shown(value: string): string {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}…` : value);
}

/** Node's `parseArgs` errors carry a code `ERR_PARSE_ARGS_*`; their messages name options, never values. */
function isParseArgsError(error: unknown): error is Error {
    return error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("ERR_PARSE_ARGS_");
}

/**
 * Checks `argv` against the entry before its module runs: unknown options, a value missing, a flag given twice
 * (which `parseArgs` would silently resolve to the last), more positional arguments than the entry declares,
 * and a `--stack` that is not a Pulumi stack name. Returns whether `--help` was asked for.
 */
function checkArguments(argv: string[], entry: CommandEntry, options: ParseArgsOptionsConfig): boolean {
    const parse = () =>
        parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: true, tokens: true });
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse();
    } catch (error) {
        if (isParseArgsError(error)) throw new UsageError(error.message);
        throw error;
    }
    if (parsed.values.help === true) return true;
    const seen = new Set<string>();
    for (const token of parsed.tokens) {
        if (token.kind !== "option") continue;
        if (seen.has(token.name) && options[token.name]?.multiple !== true) throw new UsageError(`--${token.name} given more than once; give it once`);
        seen.add(token.name);
    }
    const declared = entry.positionals ?? [];
    if (parsed.positionals.length > declared.length) {
        // Its position, not its value: a stray argument may be a pasted credential.
        const takes = declared.length === 0 ? "no positional arguments" : declared.map((p) => `<${p.name}>`).join(" ");
        throw new UsageError(`unexpected argument #${declared.length + 1} (of ${parsed.positionals.length}); this command takes ${takes}`);
    }
    for (const token of parsed.tokens) {
        if (token.kind !== "option") continue;
        const name: string = token.name;
        const stack: string | undefined = token.value;
        if (name !== "stack" || stack === undefined) continue;
        const problem = stackNameProblem(stack);
        if (problem) throw new UsageError(problem);
    }
    return false;
}

async function runEntry(command: string, verb: string | undefined, entry: CommandEntry, argv: string[], io: CommandIo): Promise<number> {
    const module = await entry.load();
    let help: boolean;
    try {
        help = checkArguments(argv, entry, module.options);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`${[command, verb].filter((p) => p !== undefined).join(" ")}: ${error.message}\nUsage: \`${invocation(command, verb)} --help\`\n`);
        return exitCodes.unusable;
    }
    if (help) {
        io.stdout(entryHelp(command, verb, entry, module.options));
        return exitCodes.passed;
    }
    return module.run(argv);
}

/**
 * Runs `command` (a key of the command table) with its arguments: chooses the verb for a command with verbs,
 * answers `--help`, rejects bad arguments (exit 2) and runs the module. Errors a module throws are the
 * caller's (`cli/process.ts`) to report.
 */
export async function dispatch(command: string, argv: string[], io: CommandIo = processIo): Promise<number> {
    const entry = commands.get(command);
    if (entry === undefined) {
        io.stderr(`unknown command ${shown(command)}; expected one of: ${[...commands.keys()].join(", ")}\n`);
        return exitCodes.unusable;
    }
    if (!isGroup(entry)) return runEntry(command, undefined, entry, argv, io);

    const [verb, ...rest] = argv;
    if (verb === "--help" || verb === "-h") {
        io.stdout(groupHelp(command, entry));
        return exitCodes.passed;
    }
    const valid = [...entry.verbs.keys()].join(", ");
    if (verb === undefined || verb.startsWith("-")) {
        io.stderr(
            `${command}: no ${entry.verbName} given${verb === undefined ? "" : ` before ${verb.startsWith("--") ? verb.split("=")[0] : "the options"}`}; expected one of: ${valid}\nUsage: \`${invocation(command)} <${entry.verbName}> [options]\`\n`,
        );
        return exitCodes.unusable;
    }
    // A Map, never `record[verb]`: `toString`, `constructor` and `__proto__` are not kinds.
    const chosen = entry.verbs.get(verb);
    if (chosen === undefined) {
        io.stderr(`${command}: unknown ${entry.verbName} ${shown(verb)}; expected one of: ${valid}\n`);
        return exitCodes.unusable;
    }
    return runEntry(command, verb, chosen, rest, io);
}
