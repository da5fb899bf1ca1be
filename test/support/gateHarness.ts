import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { type GateContext, type ResourceGate, type StackGate, gateContextFromConfig } from "../../policy/gates/index.js";
import { type FixtureResource, prodConfig, typeOfClass } from "./fixtures.js";


function urnOf(resource: FixtureResource): string {
    return `urn:pulumi:prod::vauntico-deploy::${resource.type}::${resource.name}`;
}

/** Properties as the pack receives them: deserialized JSON. */
function deserialized(props: Record<string, unknown>): Record<string, unknown> {
    const parsed: Record<string, unknown> = JSON.parse(JSON.stringify(props));
    return parsed;
}

/** What the policy SDK's `notApplicable` throws; the server records it as "not applicable", not a violation. */
export class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason ?? "not applicable");
}

/**
 * The arguments the pack's server builds for a policy. Like the SDK (whose `props` is `Record<string, any>`),
 * `asType` hands back the deserialized JSON untyped: a resource class's resolved type cannot be produced
 * from data without it.
 */
export function resourceArgs(resource: FixtureResource): ResourceValidationArgs {
    const props = deserialized(resource.props);
    return {
        type: resource.type,
        props,
        urn: urnOf(resource),
        name: resource.name,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map(),
        isType: (resourceClass) => typeOfClass(resourceClass) === resource.type,
        asType: (resourceClass) => (typeOfClass(resourceClass) === resource.type ? JSON.parse(JSON.stringify(props)) : undefined),
        getConfig: () => JSON.parse("{}"),
        notApplicable,
    };
}

export function policyResource(resource: FixtureResource): PolicyResource {
    const { type, props, urn, name, opts, isType, asType } = resourceArgs(resource);
    return { type, props, urn, name, opts, isType, asType, dependencies: [], propertyDependencies: {} };
}

export function context(config: Record<string, string> = prodConfig): GateContext {
    return gateContextFromConfig(config);
}

export interface Finding {
    message: string;
    urn: string | undefined;
}

export async function runResourceGate(gate: ResourceGate, resources: readonly FixtureResource[], ctx: GateContext = context()): Promise<Finding[]> {
    const findings: Finding[] = [];
    const validate = gate.validateResource(ctx);
    for (const resource of resources) {
        const args = resourceArgs(resource);
        try {
            await validate(args, (message, urn) => findings.push({ message, urn }));
        } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
        }
    }
    return findings;
}

export async function runStackGate(gate: StackGate, resources: readonly FixtureResource[], ctx: GateContext = context()): Promise<Finding[]> {
    const findings: Finding[] = [];
    const args: StackValidationArgs = { resources: resources.map(policyResource), stackTags: new Map(), getConfig: () => JSON.parse("{}"), notApplicable };
    await gate.validateStack(ctx)(args, (message, urn) => findings.push({ message, urn }));
    return findings;
}

export function messages(findings: readonly Finding[]): string[] {
    return findings.map((f) => f.message);
}
