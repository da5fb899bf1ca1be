import { escalateCommand } from "./blockers/escalateCommand.js";
import { syncCommand } from "./blockers/syncCommand.js";
import { runCommandProcess } from "./process.js";

/** `npm run blockers -- <verb>`: blocker issues on GitHub, kept in line with the gates and escalated on the protocol's clock. */
export const blockerVerbs = new Map<string, (argv: string[]) => Promise<number>>([
    ["sync", (argv) => syncCommand(argv)],
    ["escalate", (argv) => escalateCommand(argv)],
]);

export async function main(argv: string[]): Promise<number> {
    const [verb, ...rest] = argv;
    const run = verb === undefined ? undefined : blockerVerbs.get(verb);
    if (!run) {
        process.stderr.write(
            `blockers: ${verb === undefined ? "no verb given" : `unknown verb ${JSON.stringify(verb)}`}; expected one of: ${[...blockerVerbs.keys()].join(", ")}\n`,
        );
        return 2;
    }
    return run(rest);
}

if (require.main === module) runCommandProcess("blockers");
