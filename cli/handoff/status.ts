import { parseArgs } from "node:util";
import { evaluatePlan } from "../analyzer/evaluate.js";
import { secretnessVerdicts } from "../analyzer/secretness.js";
import { runPlan } from "../plan/index.js";
import { formatHandoffStatus, handoffStatus } from "./statusModel.js";
import { openSession, runVerb } from "./session.js";

export const statusOptions = {
    stack: { type: "string", default: "prod" },
    json: { type: "boolean", default: false },
} as const;

/** `handoff status [--json]`: every protocol item of the stack's phases with its state (runs the program and the gates). */
export async function status(argv: string[]): Promise<number> {
    return runVerb("status", async () => {
        const { values } = parseArgs({ args: argv, options: statusOptions, allowPositionals: false, strict: true });
        const session = openSession(values.stack);
        const plan = await runPlan({ stack: values.stack, projectDir: session.projectDir, ledger: session.ledger, serializeDynamicProviders: false });
        const verdicts = [...secretnessVerdicts(plan.resources), ...(await evaluatePlan(plan))];
        const result = handoffStatus(session.stack, session.state.phase, verdicts, session.state);
        process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatHandoffStatus(result));
        return 0;
    });
}
