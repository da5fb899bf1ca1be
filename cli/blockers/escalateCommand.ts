import { parseArgs } from "node:util";
import { type CommandContext, connect, escalationPeople, runVerb, slackFor, withDefaults } from "./command.js";
import { escalateBlockers } from "./escalate.js";

export const escalateOptions = {
    stack: { type: "string", default: "prod" },
    repo: { type: "string" },
} as const;

/** `blockers escalate`: each open blocker announced once at every escalation level its age has reached. */
export async function escalateCommand(argv: string[], overrides: Partial<CommandContext> = {}): Promise<number> {
    const context = withDefaults(overrides);
    return runVerb("escalate", context, async () => {
        const { values } = parseArgs({ args: argv, options: escalateOptions, strict: true, allowPositionals: false });
        const { client, repo } = connect(context, values.repo);
        const people = escalationPeople(context.stackConfig(values.stack));
        const slack = await slackFor(context, values.stack);
        const notices = await escalateBlockers(client, repo, values.stack, people, slack, context.clock);
        context.out(
            `blockers escalate: stack ${values.stack}, ${repo.owner}/${repo.repo}\n${notices.map((n) => `${n.id} #${n.issue}: level ${n.level} announced`).join("\n") || "no new escalation level reached"}\n`,
        );
        return 0;
    });
}
