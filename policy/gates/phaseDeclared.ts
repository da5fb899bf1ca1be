import { componentTypes } from "../protocol/index.js";
import { type StackGate, violationMessage } from "./gate.js";
import { numberOf } from "./read.js";

/**
 * The stack must say which phase it is in: enforcement follows it. An undeclared phase makes every gate
 * mandatory; a phase carrier in the stack that disagrees with the config means the program and the pack
 * were given different configs.
 */
export const handoffPhaseDeclared: StackGate = {
    kind: "stack",
    id: "handoff-phase-declared",
    description: "The stack declares its handoff phase (vauntico:phase, 1–5), and the phase carried in the stack agrees.",
    phase: 1,
    criterion: "Verify all merge requirements are satisfied",
    owner: "Kilo",
    artifact: "Deployment status report template",
    severity: "critical",
    blockerCategory: "Compliance violations",
    alwaysMandatory: true,
    validateStack: (context) => (args, reportViolation) => {
        if (context.declaredPhase === null) {
            reportViolation(
                violationMessage(
                    handoffPhaseDeclared,
                    "vauntico:phase is missing or not a whole number from 1 to 5, so every gate is enforced as mandatory",
                    "set it with `pulumi config set --path vauntico:phase <1-5>`",
                ),
            );
        }
        for (const carrier of args.resources.filter((r) => r.type === componentTypes.handoffPhase)) {
            const carried = numberOf(carrier.props["phase"]);
            if (carried !== undefined && context.declaredPhase !== null && carried !== context.declaredPhase) {
                reportViolation(
                    violationMessage(
                        handoffPhaseDeclared,
                        `the stack carries phase ${carried} but the policy pack was started with vauntico:phase ${context.declaredPhase}`,
                        "run the program and the policy pack with the same stack config",
                    ),
                    carrier.urn,
                );
            }
        }
    },
};
