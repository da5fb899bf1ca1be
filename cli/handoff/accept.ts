import { parseArgs } from "node:util";
import { type Acceptance, type Meeting, acceptanceProblem, membersText, phaseByNumber, phaseNumbers, teamOf } from "../../policy/protocol/index.js";
import { HandoffUsageError, isoSeconds, newEntryId, openSession, runVerb } from "./session.js";
import { appendEntryEdit, applyEdits } from "./write.js";

export const acceptOptions = {
    stack: { type: "string", default: "prod" },
    by: { type: "string" },
    score: { type: "string" },
    meeting: { type: "string" },
    attendees: { type: "string" },
    note: { type: "string" },
} as const;

function phaseArgument(text: string | undefined): Acceptance["phase"] {
    const phase = phaseNumbers.find((p) => String(p) === text);
    if (phase === undefined) throw new HandoffUsageError("<phase>", `got ${JSON.stringify(text ?? "nothing")}; expected a phase number from 1 to 5`);
    return phase;
}

function scoreArgument(text: string | undefined): Acceptance["score"] {
    switch (text) {
        case "1":
            return 1;
        case "2":
            return 2;
        case "3":
            return 3;
        case "4":
            return 4;
        case "5":
            return 5;
        default:
            throw new HandoffUsageError(
                "--score",
                `got ${JSON.stringify(text ?? "nothing")}; expected a whole number from 1 to 5 (the receiving team's satisfaction)`,
            );
    }
}

/** `handoff accept <phase> --by LOGIN --score 1-5 [--meeting DATE --attendees LOGIN,…]`: the receiving team accepts a phase. */
export async function accept(argv: string[]): Promise<number> {
    return runVerb("accept", () => {
        const { values, positionals } = parseArgs({ args: argv, options: acceptOptions, allowPositionals: true, strict: true });
        if (positionals.length !== 1) throw new HandoffUsageError("<phase>", "expected exactly one phase number from 1 to 5");
        const phase = phaseByNumber(phaseArgument(positionals[0]));
        const score = scoreArgument(values.score);
        if (values.by === undefined)
            throw new HandoffUsageError("--by", `required: the login of a ${phase.handedTo} member (phase ${phase.number} is handed to ${phase.handedTo})`);
        const session = openSession(values.stack);
        const teams = session.config.teams;
        if (teamOf(values.by, teams) !== phase.handedTo) {
            throw new HandoffUsageError(
                "--by",
                `${values.by} is not ${membersText(phase.handedTo, teams)}; phase ${phase.number} is handed from ${phase.owner} to ${phase.handedTo}, and only the receiving team accepts it`,
            );
        }
        if (phase.number > session.state.phase)
            throw new HandoffUsageError("<phase>", `phase ${phase.number} is not reached yet; the ledger is at phase ${session.state.phase}`);
        let meeting: Meeting | undefined;
        if ((values.meeting === undefined) !== (values.attendees === undefined)) {
            throw new HandoffUsageError(
                values.meeting === undefined ? "--meeting" : "--attendees",
                "a meeting needs both --meeting DATE and --attendees LOGIN,LOGIN…",
            );
        }
        if (values.meeting !== undefined && values.attendees !== undefined) {
            if (!/^\d{4}-\d{2}-\d{2}(T\S+)?$/.test(values.meeting) || Number.isNaN(Date.parse(values.meeting))) {
                throw new HandoffUsageError("--meeting", `got ${JSON.stringify(values.meeting)}; expected the meeting's date, YYYY-MM-DD or an ISO time`);
            }
            const attendees = values.attendees
                .split(",")
                .map((a) => a.trim())
                .filter((a) => a !== "");
            const strangers = attendees.filter((a) => teamOf(a, teams) === undefined);
            if (attendees.length === 0 || strangers.length > 0) {
                throw new HandoffUsageError(
                    "--attendees",
                    `${strangers.length > 0 ? `${strangers.join(", ")} in neither team` : "no login given"}; expected members of Kilo (${teams.Kilo.members.join(", ")}) and Cline (${teams.Cline.members.join(", ")})`,
                );
            }
            const present = new Set(attendees.map((a) => teamOf(a, teams)));
            if (!present.has("Kilo") || !present.has("Cline")) throw new HandoffUsageError("--attendees", "expected attendees from both Kilo and Cline");
            meeting = { date: values.meeting, attendees };
        } else if (phase.formalMeeting) {
            throw new HandoffUsageError(
                "--meeting",
                `phase ${phase.number} is a critical phase: its acceptance records the formal handoff meeting (--meeting DATE --attendees LOGIN,LOGIN… from both teams)`,
            );
        }
        const entry: Acceptance = {
            id: newEntryId(session, "acceptance", `phase-${phase.number}`),
            kind: "acceptance",
            by: values.by,
            at: isoSeconds(session.now),
            phase: phase.number,
            score,
            ...(meeting ? { meeting } : {}),
            ...(values.note !== undefined ? { note: values.note } : {}),
        };
        const problem = acceptanceProblem(entry, "acceptances.yaml", teams);
        if (problem) throw new HandoffUsageError("accept", `${problem.problem}; valid: ${problem.valid}`);
        applyEdits([appendEntryEdit(session, entry)]);
        process.stdout.write(`Phase ${phase.number} (${phase.name}) accepted by ${entry.by} for ${phase.handedTo}, score ${score}/5: entry ${entry.id}\n`);
        return 0;
    });
}
