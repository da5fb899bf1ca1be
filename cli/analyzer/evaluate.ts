import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { type PlannedResource, redactedSecret } from "../plan/index.js";
import { assemblePolicies, gateById, gateContextFromConfig, waivedPolicySuffix } from "../../policy/gates/index.js";
import { isGateId } from "../../policy/protocol/index.js";
import { type Analyzer, type AnalyzerInfo, type AnalyzerResourceInput, type Diagnostic, type Enforcement, PolicyAnalyzerClient } from "./analyzerClient.js";
import type { EngineLogEntry } from "./engineServer.js";
import { type LaunchedPack, launchPack, type PackLaunchOptions } from "./packLaunch.js";
import { propertiesStruct } from "./properties.js";

/** One gate's finding, as preflight prints it and `--json` carries it. */
export interface Verdict {
    policy: string;
    phase: number;
    enforcement: Enforcement;
    /** The resource the violation is on; null for a stack-wide finding. */
    urn: string | null;
    message: string;
    /** Present when a valid waiver of the handoff ledger made this finding advisory. */
    waived?: true;
}

/** What evaluation needs from the lead's `Plan`. */
export interface PlanForGates {
    project: string;
    stack: string;
    resources: readonly PlannedResource[];
    /** The stack config (`ns:key` → string), as the CLI hands it to the pack. */
    config: Readonly<Record<string, string>>;
    secretKeys?: readonly string[];
}

export interface PolicyPackOptions extends PackLaunchOptions {
    /**
     * Send `Analyze` for every resource, as the engine does. Default false: only resources of a type some
     * resource policy of the pack is tagged with (see `resourcePolicyTypes`); for the others the pack answers
     * "not applicable" without looking at them, so the verdicts are the same.
     */
    analyzeEveryResource?: boolean;
}

export interface PolicyPackSession {
    info: AnalyzerInfo;
    engineLogs: readonly EngineLogEntry[];
    /** `Analyze` for each resource (inputs), then `AnalyzeStack` (outputs), as the engine does in a preview. */
    evaluate(resources: readonly PlannedResource[]): Promise<Verdict[]>;
    analyze(resource: PlannedResource): Promise<Verdict[]>;
    analyzeStack(resources: readonly PlannedResource[]): Promise<Verdict[]>;
    close(): Promise<void>;
}

function pulumiTypeTag(validate: object): string | undefined {
    return "__pulumiType" in validate && typeof validate.__pulumiType === "string" && validate.__pulumiType !== "" ? validate.__pulumiType : undefined;
}

/**
 * The resource types the pack's resource policies are tagged with (the tag `validateResourceOfType` sets, by
 * which the pack itself skips other types unexamined); null when some resource policy is untagged and may
 * apply to any type.
 */
export function resourcePolicyTypes(config: Readonly<Record<string, string>>): Set<string> | null {
    return taggedResourceTypes(assemblePolicies(gateContextFromConfig(config)));
}

/** `resourcePolicyTypes` of the given policies. */
export function taggedResourceTypes(policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[]): Set<string> | null {
    const types = new Set<string>();
    for (const policy of policies) {
        if (!("validateResource" in policy) || policy.validateResource === undefined) continue;
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const validate of validations) {
            const tag = pulumiTypeTag(validate);
            if (tag === undefined) return null;
            types.add(tag);
        }
    }
    return types;
}

/** The gate a policy checks: itself, or the gate whose waived findings an advisory `<gate>-waived` twin carries. */
export function gateOfPolicy(policy: string): string {
    const base = policy.endsWith(waivedPolicySuffix) ? policy.slice(0, -waivedPolicySuffix.length) : policy;
    return isGateId(base) ? base : policy;
}

function verdictOf(diagnostic: Diagnostic): Verdict {
    const prefix = `${diagnostic.description}\n`;
    const policy = gateOfPolicy(diagnostic.policy);
    return {
        ...(policy !== diagnostic.policy ? { waived: true } : {}),
        policy,
        phase: isGateId(policy) ? gateById(policy).phase : 0,
        enforcement: diagnostic.enforcement === "mandatory" ? "mandatory" : "advisory",
        urn: diagnostic.urn === "" ? null : diagnostic.urn,
        message: diagnostic.message.startsWith(prefix) ? diagnostic.message.slice(prefix.length) : diagnostic.message,
    };
}

function analyzeInput(resource: PlannedResource): AnalyzerResourceInput {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        parent: resource.parent,
        properties: propertiesStruct(resource.inputs, resource.secretPaths, ["inputs"]),
    };
}

/**
 * After an operation the engine holds a resource's state: provider outputs, or a component's registered
 * outputs. The plan redacts a secret output whole (`"[secret]"`); where the input of the same name holds
 * its structure (mocks echo inputs as outputs), the input stands in, still marked secret.
 */
export function stateOf(resource: PlannedResource): Record<string, unknown> {
    const state: Record<string, unknown> = { ...resource.inputs };
    for (const [key, value] of Object.entries(resource.outputs)) {
        state[key] = value === redactedSecret && resource.inputs[key] !== undefined ? resource.inputs[key] : value;
    }
    return state;
}

function analyzeStackInput(resource: PlannedResource): AnalyzerResourceInput {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        parent: resource.parent,
        properties: propertiesStruct(stateOf(resource), resource.secretPaths, ["inputs", "outputs"]),
    };
}

/** Runs `task` over `items` with at most `width` in flight; results in input order. */
async function boundedMap<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const index = next++;
            const item = items[index];
            if (item !== undefined) results[index] = await task(item);
        }
    };
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    return results;
}

/**
 * Starts the policy pack the way the Pulumi CLI starts a Node.js pack and opens an Analyzer session:
 * GetAnalyzerInfo, then Configure with each policy's own enforcement level (no policy config given, as with
 * a plain `pulumi preview --policy-pack policy`), then ConfigureStack.
 */
export async function openPolicyPack(options: PolicyPackOptions, launched?: Promise<LaunchedPack>): Promise<PolicyPackSession> {
    const { pack, engineLogs, stop } = await (launched ?? launchPack(options));
    const client = new PolicyAnalyzerClient(pack.port);
    const close = async (): Promise<void> => {
        client.close();
        await stop();
    };
    try {
        await client.waitForReady(10_000);
    } catch (error) {
        await close();
        throw error;
    }
    return analyzerSession(client, options, engineLogs, close);
}

/**
 * An Analyzer session over `analyzer` (the pack's gRPC service, or a test's in-process stand-in): the calls
 * the engine makes, then `Analyze`/`AnalyzeStack` on request. `close` is called on failure too.
 */
export async function analyzerSession(
    analyzer: Analyzer,
    options: PolicyPackOptions,
    engineLogs: readonly EngineLogEntry[],
    close: () => Promise<void>,
): Promise<PolicyPackSession> {
    try {
        const analyzedTypes = options.analyzeEveryResource === true ? null : resourcePolicyTypes(options.config);
        const info = await analyzer.getAnalyzerInfo();
        await analyzer.configure(Object.fromEntries(info.policies.map((p) => [p.name, p.enforcement])));
        await analyzer.configureStack({ organization: "organization", project: options.project, stack: options.stack, dryRun: true, config: options.config });
        // A resource policy's diagnostic leaves the URN empty: the engine attributes it to the analyzed resource.
        const analyze = async (resource: PlannedResource): Promise<Verdict[]> =>
            (await analyzer.analyze(analyzeInput(resource))).map(verdictOf).map((v) => ({ ...v, urn: v.urn ?? resource.urn }));
        const analyzeStack = async (resources: readonly PlannedResource[]): Promise<Verdict[]> =>
            (await analyzer.analyzeStack(resources.map(analyzeStackInput))).map(verdictOf);
        return {
            info,
            engineLogs,
            analyze,
            analyzeStack,
            // Per-resource and stack analysis are independent: sent together, the client's encoding overlaps the pack's work.
            evaluate: async (resources) => {
                const toAnalyze = analyzedTypes === null ? resources : resources.filter((r) => analyzedTypes.has(r.type));
                const [perResource, stackWide] = await Promise.all([boundedMap(toAnalyze, 128, analyze), analyzeStack(resources)]);
                return [...perResource.flat(), ...stackWide];
            },
            close,
        };
    } catch (error) {
        await close();
        throw error;
    }
}

/** The gates' verdicts on a plan: the pack started as the CLI starts it, driven over gRPC, then stopped. */
export async function evaluatePlan(plan: PlanForGates, config: Readonly<Record<string, string>> = plan.config): Promise<Verdict[]> {
    const session = await openPolicyPack({ project: plan.project, stack: plan.stack, config, ...(plan.secretKeys ? { secretKeys: plan.secretKeys } : {}) });
    try {
        return await session.evaluate(plan.resources);
    } finally {
        await session.close();
    }
}

/** True when any mandatory gate is violated: the deployment must not proceed. */
export function blocksDeployment(verdicts: readonly Verdict[]): boolean {
    return verdicts.some((v) => v.enforcement === "mandatory");
}
