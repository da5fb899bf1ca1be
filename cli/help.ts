import type { ParseArgsOptionsConfig } from "node:util";
import type { CommandEntry, CommandGroup } from "./commands.js";

/** `npm run <command> --` (with the verb, if any): how a user types the command. */
export function invocation(command: string, verb?: string): string {
    return `npm run ${command} --${verb === undefined ? "" : ` ${verb}`}`;
}

function optionUsage(name: string, options: ParseArgsOptionsConfig): string {
    const option = options[name];
    const value = option?.type === "string" ? ` ${name.toUpperCase()}` : "";
    return `--${name}${value}`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
    const width = Math.max(...rows.map(([left]) => left.length));
    return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** The help of a command or verb that runs, from its table entry and its module's `parseArgs` options. */
export function entryHelp(command: string, verb: string | undefined, entry: CommandEntry, options: ParseArgsOptionsConfig): string {
    const positionals = entry.positionals ?? [];
    const names = Object.keys(options);
    const usage = [invocation(command, verb), ...positionals.map((p) => `<${p.name}>`), ...names.map((n) => `[${optionUsage(n, options)}]`)].join(" ");
    const lines = [`Usage: ${usage}`, "", entry.description, ""];
    if (positionals.length > 0) lines.push("Arguments:", ...table(positionals.map((p) => [`<${p.name}>`, p.description])), "");
    const rows = names.map((name): [string, string] => {
        const option = options[name];
        const short = option?.short === undefined ? "" : `-${option.short}, `;
        const fallback = option?.default === undefined || option.type === "boolean" ? "" : ` (default: ${String(option.default)})`;
        return [`${short}${optionUsage(name, options)}`, `${entry.flags[name] ?? ""}${fallback}`];
    });
    lines.push("Options:", ...table([...rows, ["-h, --help", "print this help"]]), "");
    return `${lines.join("\n")}`;
}

/** The help of a command with verbs: its verbs, each with its one-line description. */
export function groupHelp(command: string, group: CommandGroup): string {
    const lines = [
        `Usage: ${invocation(command)} <${group.verbName}> [options]`,
        "",
        group.description,
        "",
        `${group.verbName[0]?.toUpperCase() ?? ""}${group.verbName.slice(1)}s:`,
    ];
    lines.push(...table([...group.verbs].map(([name, entry]) => [name, entry.description])));
    lines.push("", `\`${invocation(command)} <${group.verbName}> --help\` prints a ${group.verbName}'s options.`, "");
    return lines.join("\n");
}
