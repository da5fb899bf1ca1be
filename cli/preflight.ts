import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
// Only light modules load before the pack is launched: the program's modules (@pulumi/pulumi, the provider SDKs,
// the gates) are imported in `main` once the pack process is already starting beside them.
import { type LaunchedPack, launchPack, type PackLaunchOptions } from "./analyzer/packLaunch.js";
import type { Verdict } from "./analyzer/evaluate.js";
import type { Plan } from "./plan/index.js";
import { readStackFile, redactedConfig } from "./plan/stackFile.js";
import { exitCodes } from "./exitCodes.js";
import { runCommandProcess } from "./process.js";

export const preflightOptions = {
    stack: { type: "string", default: "prod" },
    json: { type: "boolean", default: false },
} satisfies ParseArgsOptionsConfig;

/** The JSON preflight prints with `--json`. */
export interface PreflightReport {
    stack: string;
    phase: number;
    resources: { type: string; name: string; parent: string | null; urn: string; custom: boolean; secretPaths: string[] }[];
    outputs: { name: string; secret: boolean }[];
    /** Credentials absent from the stack file, stood in by secret placeholders: a real run needs each. */
    standIns: string[];
    [section: string]: unknown;
}

export function preflightReport(plan: Plan): PreflightReport {
    return {
        stack: plan.stack,
        phase: plan.phase,
        resources: plan.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent, urn: r.urn, custom: r.custom, secretPaths: r.secretPaths })),
        outputs: plan.outputs.map((o) => ({ name: o.name, secret: o.secret })),
        standIns: plan.standIns,
    };
}

/** The plan as a person reads it: the resource tree, then what is secret. */
export function formatPlan(plan: Plan): string {
    const lines = [`Preflight of stack ${plan.stack} (project ${plan.project}), phase ${plan.phase}: ${plan.resources.length} resources`, ""];
    const children = new Map<string | null, typeof plan.resources>();
    for (const resource of plan.resources) {
        const siblings = children.get(resource.parent) ?? [];
        siblings.push(resource);
        children.set(resource.parent, siblings);
    }
    const known = new Set(plan.resources.map((r) => r.urn));
    const walk = (parent: string | null, depth: number): void => {
        for (const resource of children.get(parent) ?? []) {
            lines.push(`${"  ".repeat(depth)}+ ${resource.type}  ${resource.name}`);
            walk(resource.urn, depth + 1);
        }
    };
    walk(null, 1);
    for (const [parent] of children) {
        if (parent !== null && !known.has(parent)) walk(parent, 1);
    }
    const secrets = plan.resources.filter((r) => r.secretPaths.length > 0);
    lines.push("", `Secret properties (${secrets.reduce((n, r) => n + r.secretPaths.length, 0)}):`);
    for (const resource of secrets) lines.push(`  ${resource.name}: ${resource.secretPaths.join(", ")}`);
    lines.push("", "Stack outputs:");
    for (const output of plan.outputs) lines.push(`  ${output.name}${output.secret ? " (secret)" : ""}`);
    if (plan.standIns.length > 0) {
        lines.push(
            "",
            `Credentials absent from Pulumi.${plan.stack}.yaml, stood in by secret placeholders; a real \`pulumi preview\` needs each (README, "A real run"):`,
        );
        lines.push(`  ${plan.standIns.join(", ")}`);
    }
    return `${lines.join("\n")}\n`;
}

interface EarlyPack {
    identity: PackLaunchOptions;
    /** Settles once the pack process exists (or could not be started). */
    spawned: Promise<void>;
    launched: Promise<LaunchedPack>;
    /** Kills the pack if it is still starting (see `PrestartedPolicyPack.cancel`). */
    abort: AbortController;
}

/** Launches the policy pack from the stack file before the program loads; undefined if the file is unreadable. */
function launchGatesEarly(stack: string): EarlyPack | undefined {
    try {
        const file = readStackFile(process.cwd(), stack);
        const identity = { project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys };
        let markSpawned = (): void => undefined;
        const spawned = new Promise<void>((resolve) => {
            markSpawned = resolve;
        });
        const abort = new AbortController();
        const launched = launchPack({ ...identity, signal: abort.signal }, markSpawned);
        // Its failure is reported where the session is opened; until then it must not count as unhandled.
        launched.catch(() => undefined);
        return { identity, spawned, launched, abort };
    } catch {
        return undefined;
    }
}

/**
 * `evaluate`: who judges the plan; by default the policy pack, started as the CLI starts it (launched before
 * the program's modules load). Tests of what preflight makes of verdicts may judge in-process instead.
 */
export async function main(argv: string[], evaluate?: (plan: Plan) => Promise<Verdict[]>): Promise<number> {
    const { values } = parseArgs({ args: argv, options: preflightOptions, strict: true });
    const stack = values.stack;
    const early = evaluate ? undefined : launchGatesEarly(stack);
    // Loading the program's modules blocks the event loop for ≈ 0.7 s: the pack must be spawned before, not after.
    await early?.spawned;
    const [
        { StackConfigError },
        { runPlan },
        { PrestartedPolicyPack, asManualItems, blocksDeployment, formatVerdicts, openManualItems, planLedgerState, secretnessVerdicts },
    ] = await Promise.all([import("../stacks/config.js"), import("./plan/index.js"), import("./analyzer/index.js")]);
    const gates = early ? new PrestartedPolicyPack(early.identity, early) : undefined;
    let plan: Plan;
    try {
        plan = await runPlan({ stack, serializeDynamicProviders: false });
    } catch (error) {
        await gates?.cancel();
        if (error instanceof StackConfigError) {
            process.stderr.write(`preflight: stack ${stack}: ${error.message}\n`);
            return exitCodes.unusable;
        }
        throw error;
    }
    // Secret-ness is checked on the plan: CrossGuard cannot see it (pulumi-policy#241).
    const verdicts = [...secretnessVerdicts(plan.resources), ...(await (evaluate ? evaluate(plan) : (gates ?? new PrestartedPolicyPack(plan)).evaluate(plan)))];
    // Manual items confirmed by a valid ledger sign-off are no longer open (the gates judged the same ledger);
    // every phase's open items go to --json, the text shows those up to the stack's phase.
    const manual = asManualItems(openManualItems(planLedgerState(plan), 5));
    process.stdout.write(
        values.json
            ? `${JSON.stringify({ ...preflightReport(plan), verdicts, manual }, null, 2)}\n`
            : `${formatPlan(plan)}\n${formatVerdicts(verdicts, manual, plan.phase)}`,
    );
    return blocksDeployment(verdicts) ? exitCodes.failed : exitCodes.passed;
}

if (require.main === module) runCommandProcess("preflight");
