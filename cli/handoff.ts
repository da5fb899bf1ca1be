import { accept } from "./handoff/accept.js";
import { advance, rollback } from "./handoff/move.js";
import { sign } from "./handoff/sign.js";
import { status } from "./handoff/status.js";
import { waive } from "./handoff/waive.js";
import { runCommandProcess } from "./process.js";

type Verb = (argv: string[]) => Promise<number>;

/** `npm run handoff -- <verb>`: each verb writes one ledger entry (or reads the ledger), or exits 2 having written nothing. */
export const handoffVerbs: ReadonlyMap<string, Verb> = new Map<string, Verb>([
    ["sign", sign],
    ["accept", accept],
    ["waive", waive],
    ["advance", advance],
    ["rollback", rollback],
    ["status", status],
]);

export async function main(argv: string[]): Promise<number> {
    const [verb, ...rest] = argv;
    const run = verb === undefined ? undefined : handoffVerbs.get(verb);
    if (run === undefined) {
        process.stderr.write(
            `handoff: ${verb === undefined ? "no verb given" : `unknown verb ${JSON.stringify(verb)}`}; expected one of: ${[...handoffVerbs.keys()].join(", ")}\n`,
        );
        return 2;
    }
    return run(rest);
}

if (require.main === module) runCommandProcess("handoff");
