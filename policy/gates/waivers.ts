import type { ReportViolation, ResourceValidation, ResourceValidationPolicy, StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { type Waiver, isoTime, waiverCovers, waiverProblem } from "../protocol/index.js";
import type { GateContext } from "./context.js";
import type { Gate } from "./gate.js";
import type { GateFactsLookup } from "./ledger.js";

/*
 * Where a waiver downgrades a violation, and why there.
 *
 * The engine calls `Analyze` once per resource and `AnalyzeStack` once at the end. A CrossGuard policy has
 * one enforcement level, set when the pack starts (from `PULUMI_CONFIG`, then `Configure`); `reportViolation`
 * cannot lower it for one finding. A resource gate's finding is made during `Analyze` of that resource, when
 * the pack has not seen the ledger carried in the stack (it arrives with `AnalyzeStack`). So the waivers the
 * pack honours are those of the stack config, `vauntico:waivers` — a mirror of the ledger's waivers that
 * `npm run handoff -- waive` writes beside the ledger entry and `handoff-ledger-entries` checks against the
 * carried ledger. Both the real CLI and preflight start the pack with the stack config, so both honour the
 * same waivers.
 *
 * A gate with waivers becomes two policies: the gate itself, whose findings on a waived resource are left
 * out, and `<gate>-waived` (advisory), which makes the same checks and reports only those findings, with
 * "waived by X until T (reason)". Nothing else changes: other resources, other gates, the gate's level.
 * The clock is the context's (read once at pack start), so a waiver stops counting one second after it
 * expires on the next run.
 */

/** The suffix of a gate's advisory twin, which carries its waived findings. */
export const waivedPolicySuffix = "-waived";

export interface GateWaivers {
    active: Waiver[];
    expired: Waiver[];
}

/** The valid waivers of `gate` in the context's config mirror, split by the context's clock. */
export function gateWaivers(gate: Gate, context: GateContext, facts: GateFactsLookup): GateWaivers {
    const result: GateWaivers = { active: [], expired: [] };
    const teams = context.teams;
    if (teams === null) return result;
    for (const { entry, file } of context.waivers) {
        if (entry.kind !== "waiver" || entry.gate !== gate.id) continue;
        if (waiverProblem(entry, file, { teams, gate: facts }) !== undefined) continue;
        (context.now <= (isoTime(entry.expires) ?? 0) ? result.active : result.expired).push(entry);
    }
    return result;
}

export function waivedMessage(message: string, waiver: Waiver): string {
    return `${message} — waived by ${waiver.by} until ${waiver.expires} (${waiver.reason}); waiver ${waiver.id}${waiver.blocker ? ` for ${waiver.blocker}` : ""}`;
}

/** How one finding is reported: unchanged, changed, or left out (undefined). */
type Transform = (message: string, urn: string | undefined, name: string | undefined) => string | undefined;

function transforms(waivers: GateWaivers): { gate: Transform; twin: Transform } {
    const covering = (list: readonly Waiver[], urn: string | undefined, name: string | undefined): Waiver | undefined =>
        list.find((w) => waiverCovers(w.resource, urn, name));
    return {
        gate: (message, urn, name) => {
            if (covering(waivers.active, urn, name)) return undefined;
            const expired = covering(waivers.expired, urn, name);
            return expired ? `${message} (waiver ${expired.id} by ${expired.by} expired at ${expired.expires})` : message;
        },
        twin: (message, urn, name) => {
            const waiver = covering(waivers.active, urn, name);
            return waiver ? waivedMessage(message, waiver) : undefined;
        },
    };
}

function pulumiTypeTag(validate: object): string | undefined {
    return "__pulumiType" in validate && typeof validate.__pulumiType === "string" ? validate.__pulumiType : undefined;
}

function wrapResource(validate: ResourceValidation, transform: Transform): ResourceValidation {
    const wrapped: ResourceValidation = (args, report) =>
        validate(args, (message, urn) => {
            // A resource policy's finding without a URN (or with its own) is on the analyzed resource, whose name is known.
            const onSelf = urn === undefined || urn === args.urn;
            const out = transform(message, urn ?? args.urn, onSelf ? args.name : undefined);
            if (out !== undefined) report(out, urn);
        });
    // Keep the type tag by which the pack (and preflight) skip resources of other types.
    const tag = pulumiTypeTag(validate);
    if (tag !== undefined) Object.defineProperty(wrapped, "__pulumiType", { value: tag, enumerable: true });
    return wrapped;
}

function wrapStack(validate: StackValidation, transform: Transform): StackValidation {
    return (args, report: ReportViolation) =>
        validate(args, (message, urn) => {
            const out = transform(message, urn, undefined);
            if (out !== undefined) report(out, urn);
        });
}

/** The gate's policy with its waivers applied, plus the advisory twin when a waiver is active. */
export function withWaivers(
    gate: Gate,
    policy: ResourceValidationPolicy | StackValidationPolicy,
    context: GateContext,
    facts: GateFactsLookup,
): (ResourceValidationPolicy | StackValidationPolicy)[] {
    const waivers = gateWaivers(gate, context, facts);
    if (waivers.active.length === 0 && waivers.expired.length === 0) return [policy];
    const { gate: gateTransform, twin: twinTransform } = transforms(waivers);
    const apply = (p: ResourceValidationPolicy | StackValidationPolicy, transform: Transform): ResourceValidationPolicy | StackValidationPolicy => {
        if ("validateResource" in p && p.validateResource !== undefined) {
            const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            const wrapped = validations.map((v) => wrapResource(v, transform));
            return { ...p, validateResource: wrapped.length === 1 && wrapped[0] !== undefined ? wrapped[0] : wrapped };
        }
        if ("validateStack" in p && p.validateStack !== undefined) return { ...p, validateStack: wrapStack(p.validateStack, transform) };
        return p;
    };
    const policies = [apply(policy, gateTransform)];
    if (waivers.active.length > 0) policies.push({ ...apply(policy, twinTransform), name: `${gate.id}${waivedPolicySuffix}`, enforcementLevel: "advisory" });
    return policies;
}
