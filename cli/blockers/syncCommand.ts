import { parseArgs } from "node:util";
import { type CommandContext, connect, readPreviewFile, runVerb, slackFor, withDefaults } from "./command.js";
import { previewVerdicts } from "./drift.js";
import { UsageError } from "./github.js";
import { desiredBlockers } from "./issueModel.js";
import { type SyncResult, syncBlockers } from "./sync.js";

export const syncOptions = {
    stack: { type: "string", default: "prod" },
    repo: { type: "string" },
    /** `pulumi preview --refresh --json` output: drift and live gate violations join the verdicts. */
    preview: { type: "string" },
    /** Post one Slack message when blockers were opened or reopened. */
    slack: { type: "boolean", default: false },
} as const;

function resultLines(result: SyncResult): string {
    const groups: [string, string[]][] = [
        ["created", result.created],
        ["reopened", result.reopened],
        ["updated", result.updated],
        ["closed (gate passes)", result.closed],
        ["closed (waived)", result.waived],
        ["unchanged", result.unchanged],
    ];
    return `${
        groups
            .filter(([, ids]) => ids.length > 0)
            .map(([what, ids]) => `${what}: ${ids.join(", ")}`)
            .join("\n") || "no blockers, no blocker issues open"
    }\n`;
}

/** `blockers sync`: the stack's blocker issues brought in line with the gates' verdicts. 1 while blockers are open. */
export async function syncCommand(argv: string[], overrides: Partial<CommandContext> = {}): Promise<number> {
    const context = withDefaults(overrides);
    return runVerb("sync", context, async () => {
        const { values } = parseArgs({ args: argv, options: syncOptions, strict: true, allowPositionals: false });
        const { client, repo } = connect(context, values.repo);
        const preview = values.preview === undefined ? undefined : readPreviewFile(values.preview);
        const { input, config } = await context.gateInput(values.stack);
        const verdicts = preview === undefined ? input.verdicts : [...input.verdicts, ...previewVerdicts(preview, input.plan.phase)];
        if (!config.teams) throw new UsageError("vauntico:teams: missing; blockers are assigned to the owning team's lead (see Pulumi.prod.yaml)");
        const slack = values.slack ? await slackFor(context, values.stack) : undefined;
        const desired = desiredBlockers({ ...input, verdicts }, config.teams);
        const result = await syncBlockers(client, repo, desired, context.clock);
        context.out(`blockers sync: stack ${values.stack}, ${repo.owner}/${repo.repo}\n${resultLines(result)}`);
        const opened = [...result.created, ...result.reopened];
        if (slack && opened.length > 0) {
            await slack(
                `:rotating_light: ${opened.length} blocker${opened.length === 1 ? "" : "s"} opened on stack ${values.stack}: ${opened.join(", ")} — https://github.com/${repo.owner}/${repo.repo}/issues?q=is%3Aopen+label%3Ablocker`,
            );
        }
        return desired.blockers.length > 0 ? 1 : 0;
    });
}
