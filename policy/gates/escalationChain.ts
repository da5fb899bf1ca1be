import * as grafana from "@pulumiverse/grafana";
import type { PolicyResource } from "@pulumi/policy";
import { escalationPath, incidentEscalationTypes } from "../protocol/index.js";
import { type Props, numberOf, readKnown, stringOf } from "./read.js";

export interface EscalationStep {
    position: number;
    type: string;
    /** Seconds, for `wait` steps. */
    duration: number;
}

/** Escalation steps grouped by the chain they belong to, each group in position order. */
export function escalationStepsByChain(resources: readonly PolicyResource[]): Map<string, EscalationStep[]> {
    const byChain = new Map<string, EscalationStep[]>();
    for (const resource of resources) {
        if (!resource.isType(grafana.oncall.Escalation)) continue;
        const props: Props = resource.props;
        // The chain's id is unknown in a preview of a new chain: the engine's property dependency names the chain.
        const chainId = readKnown(() => stringOf(props["escalationChainId"]));
        const dependency = resource.propertyDependencies["escalationChainId"]?.[0]?.urn;
        const chain = dependency ?? (chainId.known ? chainId.value : undefined) ?? "(chain unknown until created)";
        const step = { position: numberOf(props["position"]) ?? 0, type: stringOf(props["type"]) ?? "", duration: numberOf(props["duration"]) ?? 0 };
        byChain.set(chain, [...(byChain.get(chain) ?? []), step]);
    }
    for (const steps of byChain.values()) steps.sort((a, b) => a.position - b.position);
    return byChain;
}

/**
 * Why a chain's steps do not follow the protocol's escalation path; empty when they do. The steps that are
 * not `wait` are the levels L1…L4 in order (steps with no wait between them are one level); the waits before
 * a level add up to its deadline (L1 immediate, L2 1 h, L3 2 h); L4 comes after a further wait and opens an
 * incident. Levels after L4 (a repeat, say) are allowed.
 */
export function escalationProblems(steps: readonly EscalationStep[]): string[] {
    // Consecutive steps with no wait between them fire together: one level (e.g. notify a person and a group).
    const levels: { types: string[]; at: number }[] = [];
    let elapsed = 0;
    let current: { types: string[]; at: number } | undefined;
    for (const step of steps) {
        if (step.type === "wait") {
            elapsed += step.duration;
            current = undefined;
        } else if (current) {
            current.types.push(step.type);
        } else {
            current = { types: [step.type], at: elapsed };
            levels.push(current);
        }
    }
    const problems: string[] = [];
    if (levels.length < escalationPath.length) {
        problems.push(
            `it has ${levels.length} notification levels; the protocol has ${escalationPath.length} (L1 team lead, L2 cross-team, L3 executive, L4 incident)`,
        );
        return problems;
    }
    for (const level of escalationPath) {
        const reached = levels[level.level - 1];
        if (reached === undefined) continue;
        if (level.withinSeconds !== null && reached.at !== level.withinSeconds) {
            problems.push(
                `L${level.level} (${level.audience}) is reached after ${reached.at} s; the protocol says ${level.deadline} (${level.withinSeconds} s)`,
            );
        }
    }
    const third = levels[2];
    const fourth = levels[3];
    if (third !== undefined && fourth !== undefined) {
        if (!(fourth.at > third.at)) problems.push("L4 (full incident response) does not wait after L3");
        if (!fourth.types.some((type) => incidentEscalationTypes.includes(type))) {
            problems.push(`L4 is a ${fourth.types.join(" + ")} step; expected one of ${incidentEscalationTypes.join(", ")} to activate incident response`);
        }
    }
    return problems;
}
