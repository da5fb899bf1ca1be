import * as path from "node:path";
import { parseArgs } from "node:util";
import { type Evidence, type SignOff, isRepositoryPath, manualProtocolItems, membersText, signOffProblem, teamOf } from "../../policy/protocol/index.js";
import { sha256File } from "../../stacks/index.js";
import { HandoffUsageError, isoSeconds, newEntryId, openSession, runVerb } from "./session.js";
import { appendEntryEdit, applyEdits } from "./write.js";

export const signOptions = {
    stack: { type: "string", default: "prod" },
    by: { type: "string" },
    evidence: { type: "string" },
    note: { type: "string" },
} as const;

/** `handoff sign <item-id> --by LOGIN [--evidence URL|PATH] [--note TEXT]`: a member of the item's owner team confirms it. */
export async function sign(argv: string[]): Promise<number> {
    return runVerb("sign", () => {
        const { values, positionals } = parseArgs({ args: argv, options: signOptions, allowPositionals: true, strict: true });
        const items = manualProtocolItems();
        const itemId = positionals[0];
        if (positionals.length !== 1 || itemId === undefined)
            throw new HandoffUsageError("<item-id>", `expected exactly one manual item id; valid: ${items.map((i) => i.id).join(", ")}`);
        const item = items.find((i) => i.id === itemId);
        if (item === undefined) throw new HandoffUsageError("<item-id>", `unknown item ${JSON.stringify(itemId)}; valid: ${items.map((i) => i.id).join(", ")}`);
        if (values.by === undefined)
            throw new HandoffUsageError("--by", `required: the login of ${item.owner === "Kilo" ? "a Kilo" : "a Cline"} member signing ${item.id}`);
        const session = openSession(values.stack);
        const teams = session.config.teams;
        if (teamOf(values.by, teams) !== item.owner) {
            throw new HandoffUsageError("--by", `${values.by} is not ${membersText(item.owner, teams)}; ${item.id} is owned by ${item.owner}`);
        }
        const already = session.state.confirmations.get(item.id);
        if (already) throw new HandoffUsageError("<item-id>", `${item.id} is already confirmed by ${already.by} at ${already.at} (entry ${already.id})`);
        let evidence: Evidence | undefined;
        if (values.evidence !== undefined) {
            if (/^https:\/\/\S+$/.test(values.evidence)) {
                evidence = { url: values.evidence };
            } else if (/^[a-z]+:\/\//i.test(values.evidence)) {
                throw new HandoffUsageError("--evidence", "a URL must be https://…; or give a path in the repository");
            } else {
                const relative = path.posix.normalize(values.evidence.split(path.sep).join("/"));
                if (!isRepositoryPath(relative))
                    throw new HandoffUsageError(
                        "--evidence",
                        `${JSON.stringify(values.evidence)} is not a path inside the repository; expected e.g. handoff/evidence/<file>`,
                    );
                const sha256 = sha256File(path.join(session.projectDir, relative));
                if (sha256 === null)
                    throw new HandoffUsageError("--evidence", `no file ${relative} in the repository (evidence files live in handoff/evidence/)`);
                evidence = { path: relative, sha256 };
            }
        }
        const entry: SignOff = {
            id: newEntryId(session, "sign-off", item.id),
            kind: "sign-off",
            by: values.by,
            at: isoSeconds(session.now),
            item: item.id,
            ...(evidence ? { evidence } : {}),
            ...(values.note !== undefined ? { note: values.note } : {}),
        };
        const evidenceHashes = evidence && "path" in evidence ? { ...session.context.evidence, [evidence.path]: evidence.sha256 } : session.context.evidence;
        const problem = signOffProblem(
            entry,
            `handoff/${session.stack}/sign-offs/${item.owner.toLowerCase()}.yaml`,
            { ...session.context, evidence: evidenceHashes },
            item,
            undefined,
        );
        if (problem) throw new HandoffUsageError("sign", `${problem.problem}; valid: ${problem.valid}`);
        applyEdits([appendEntryEdit(session, entry, item.owner)]);
        process.stdout.write(`Signed off ${item.id} (${item.text}) by ${entry.by} at ${entry.at}: entry ${entry.id}\n`);
        return 0;
    });
}
