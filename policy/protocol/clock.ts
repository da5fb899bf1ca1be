/**
 * The one clock of the handoff ledger: the pack, the program and the `handoff` command all ask it, so waiver
 * expiry is judged the same everywhere. Tests (and an audit replaying a past run) fix it with
 * `VAUNTICO_HANDOFF_NOW=<ISO time>`; the variable reaches the pack through the environment the CLI starts it
 * with, so CI must not set it.
 */
export const handoffClockVariable = "VAUNTICO_HANDOFF_NOW";

export function handoffNow(env: NodeJS.ProcessEnv = process.env): number {
    const fixed = env[handoffClockVariable];
    if (fixed === undefined || fixed === "") return Date.now();
    const ms = Date.parse(fixed);
    if (Number.isNaN(ms)) throw new Error(`${handoffClockVariable}: got ${JSON.stringify(fixed)}; expected an ISO 8601 time such as 2026-12-02T07:00:00Z`);
    return ms;
}
