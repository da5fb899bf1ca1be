import { phaseByNumber } from "../../policy/protocol/index.js";
import type { PlannedResource } from "../plan/index.js";
import type { Verdict } from "./evaluate.js";

const environmentSecretType = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
const randomBytesType = "random:index/randomBytes:RandomBytes";

/** The check CrossGuard cannot make (pulumi-policy#241), made on the plan, where the engine's secret markers survive. */
export const secretnessCheck = {
    policy: "preflight-secret-values-are-secrets",
    phase: 1,
    criterion: "Secrets properly formatted and secure",
    owner: "Kilo",
    artifact: "SECRETS_GENERATION_REPORT.md",
    severity: "critical",
    blockerCategory: "Security vulnerabilities",
} as const;

function violation(resource: PlannedResource, problem: string, fix: string): Verdict {
    const phase = phaseByNumber(secretnessCheck.phase);
    return {
        policy: secretnessCheck.policy,
        phase: secretnessCheck.phase,
        enforcement: "mandatory",
        urn: resource.urn,
        message:
            `[${secretnessCheck.policy}] phase ${phase.number} (${phase.name}), criterion "${secretnessCheck.criterion}", owner ${secretnessCheck.owner}: ` +
            `${problem}. Blocks artifact "${secretnessCheck.artifact}". To fix: ${fix}.`,
    };
}

/**
 * Every delivered environment secret's value and every generated secret's rendered value must be a Pulumi
 * secret in the plan; a plaintext one is a mandatory violation.
 */
export function secretnessVerdicts(resources: readonly PlannedResource[]): Verdict[] {
    const verdicts: Verdict[] = [];
    for (const resource of resources) {
        const secret = new Set(resource.secretPaths);
        if (resource.type === environmentSecretType && "plaintextValue" in resource.inputs && !secret.has("inputs.plaintextValue")) {
            const name = typeof resource.inputs["secretName"] === "string" ? resource.inputs["secretName"] : resource.name;
            verdicts.push(
                violation(
                    resource,
                    `environment secret ${name} is delivered from a plaintext value, not a Pulumi secret`,
                    "pass the value as a pulumi.secret Output",
                ),
            );
        }
        if (resource.type === randomBytesType) {
            for (const property of ["hex", "base64"]) {
                if (property in resource.outputs && !secret.has(`outputs.${property}`)) {
                    verdicts.push(
                        violation(
                            resource,
                            `generated secret ${resource.name} exposes its ${property} value in plaintext`,
                            `mark ${property} secret (random.RandomBytes does; a mock must too)`,
                        ),
                    );
                }
            }
        }
    }
    return verdicts;
}
