import { parseArgs } from "node:util";
import { gates, waiversConfigKey } from "../../policy/gates/index.js";
import { type Waiver, isGateId, isWaivable, isoTime, maximumWaiverDays, membersText, otherTeam, teamOf, waiverProblem } from "../../policy/protocol/index.js";
import { HandoffUsageError, isoSeconds, newEntryId, openSession, runVerb } from "./session.js";
import { appendEntryEdit, appendToConfigList, applyEdits, stackFileEdit } from "./write.js";

export const waiveOptions = {
    stack: { type: "string", default: "prod" },
    resource: { type: "string" },
    reason: { type: "string" },
    by: { type: "string" },
    expires: { type: "string" },
    blocker: { type: "string" },
} as const;

const dayMs = 24 * 3600 * 1000;

/** `Nd` (days from now) or an ISO time, as milliseconds. */
function expiryArgument(text: string | undefined, now: number): number {
    if (text === undefined) throw new HandoffUsageError("--expires", `required: an ISO time or Nd (N days from now), at most ${maximumWaiverDays} days ahead`);
    const days = /^(\d{1,3})d$/.exec(text);
    const expires = days?.[1] !== undefined ? now + Number(days[1]) * dayMs : isoTime(text);
    if (expires === undefined)
        throw new HandoffUsageError("--expires", `got ${JSON.stringify(text)}; expected an ISO time with a zone (2026-12-09T17:00:00Z) or Nd`);
    if (expires <= now) throw new HandoffUsageError("--expires", `${text} is not in the future (now is ${isoSeconds(now)})`);
    if (expires - now > maximumWaiverDays * dayMs)
        throw new HandoffUsageError(
            "--expires",
            `${text} is more than ${maximumWaiverDays} days ahead; a waiver runs at most ${maximumWaiverDays} days (until ${isoSeconds(now + maximumWaiverDays * dayMs)})`,
        );
    return expires;
}

/**
 * `handoff waive <gate-id> --resource NAME|URN|stack --reason TEXT --by LOGIN --expires ISO-TIME|Nd [--blocker ID]`:
 * writes the waiver to the ledger and its mirror to `vauntico:waivers` in the stack file (see policy/gates/waivers.ts).
 */
export async function waive(argv: string[]): Promise<number> {
    return runVerb("waive", () => {
        const { values, positionals } = parseArgs({ args: argv, options: waiveOptions, allowPositionals: true, strict: true });
        const waivable = gates.filter((g) => isWaivable(g.id, g.blockerCategory)).map((g) => g.id);
        const gateId = positionals[0];
        if (positionals.length !== 1 || gateId === undefined)
            throw new HandoffUsageError("<gate-id>", `expected exactly one gate id; waivable: ${waivable.join(", ")}`);
        if (!isGateId(gateId)) throw new HandoffUsageError("<gate-id>", `unknown gate ${JSON.stringify(gateId)}; waivable gates: ${waivable.join(", ")}`);
        const gate = gates.find((g) => g.id === gateId);
        if (gate === undefined || !isWaivable(gate.id, gate.blockerCategory)) {
            throw new HandoffUsageError(
                "<gate-id>",
                `${gateId} can never be waived (${gateId === "p5-live-payment-keys-only-at-phase-5" ? "live payment keys" : `blocker category "${gate?.blockerCategory ?? "?"}"`}); waivable gates: ${waivable.join(", ")}`,
            );
        }
        if (values.resource === undefined || values.resource.trim() === "")
            throw new HandoffUsageError("--resource", "required: the resource's name or URN, or `stack` for a stack-wide finding");
        if (values.reason === undefined || values.reason.trim() === "")
            throw new HandoffUsageError("--reason", "required: why the gate may be passed, as text");
        if (values.blocker !== undefined && !/^BLOCKER-[A-Z0-9-]+$/.test(values.blocker))
            throw new HandoffUsageError(
                "--blocker",
                `got ${JSON.stringify(values.blocker)}; expected a blocker ID such as BLOCKER-P3-3F9A2C (npm run report -- blockers)`,
            );
        if (values.by === undefined)
            throw new HandoffUsageError("--by", `required: the login of a ${otherTeam(gate.owner)} member (${gate.owner} owns ${gate.id})`);
        const session = openSession(values.stack);
        const teams = session.config.teams;
        if (teamOf(values.by, teams) !== otherTeam(gate.owner)) {
            throw new HandoffUsageError(
                "--by",
                `${values.by} is not ${membersText(otherTeam(gate.owner), teams)}; ${gate.owner} owns ${gate.id}, so the other team approves its waivers`,
            );
        }
        const expires = expiryArgument(values.expires, session.now);
        const entry: Waiver = {
            id: newEntryId(session, "waiver", gate.id),
            kind: "waiver",
            by: values.by,
            at: isoSeconds(session.now),
            gate: gate.id,
            resource: values.resource,
            reason: values.reason,
            expires: isoSeconds(expires),
            ...(values.blocker !== undefined ? { blocker: values.blocker } : {}),
        };
        const problem = waiverProblem(entry, "waivers.yaml", session.context);
        if (problem) throw new HandoffUsageError("waive", `${problem.problem}; valid: ${problem.valid}`);
        applyEdits([appendEntryEdit(session, entry), stackFileEdit(session, (document) => appendToConfigList(document, waiversConfigKey, entry))]);
        process.stdout.write(
            `Waived ${gate.id} on ${entry.resource} by ${entry.by} until ${entry.expires}: entry ${entry.id} (mirrored in ${waiversConfigKey} of Pulumi.${session.stack}.yaml)\n`,
        );
        return 0;
    });
}
