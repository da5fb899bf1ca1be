import { type PaymentMode, type PhaseNumber, phaseNumbers } from "../protocol/index.js";
import { isRecord, numberOf, parseJson, recordOf, recordsOf, stringOf, stringsOf } from "./read.js";

/**
 * What the gates need to know about the stack beyond its resources, read from the stack's config.
 *
 * The Pulumi CLI starts a policy pack with the stack's config in `PULUMI_CONFIG` (the same variable the
 * program reads), so the pack knows the stack's phase before its first policy runs and can set every
 * policy's enforcement level from it. Only `vauntico:phase` moves enforcement, and only by the protocol's
 * rule; no stack key can disable or soften a gate.
 */
export interface GateContext {
    /** `vauntico:phase` as the stack declares it; null when missing or not 1–5. */
    declaredPhase: PhaseNumber | null;
    /** The phase enforcement follows: the declared one, or 5 (every gate mandatory) when none is declared. */
    phase: PhaseNumber;
    /** `vauntico:payments.mode`; null when payments are not configured. */
    paymentsMode: PaymentMode | null;
    /** The GitHub environment secrets are delivered to. */
    environmentName: string;
    /** The branch merge protection must cover. */
    defaultBranch: string;
    /** Status checks the configuration requires on the default branch. */
    requiredChecks: readonly string[];
    /** Approving reviews the configuration requires (never below the protocol's 1). */
    requiredApprovals: number;
    /** Secret names declared in `vauntico:secrets`. */
    declaredSecrets: readonly string[];
    stripeConfigured: boolean;
    paystackConfigured: boolean;
    /** Sentry project slugs declared in `vauntico:sentry.projects`. */
    sentryProjects: readonly string[];
}

export function isPhaseNumber(value: unknown): value is PhaseNumber {
    const allowed: readonly number[] = phaseNumbers;
    return typeof value === "number" && allowed.includes(value);
}

function isPaymentMode(value: unknown): value is PaymentMode {
    return value === "test" || value === "live";
}

/** A config value as the CLI passes it: a string, JSON for structured values. */
function structured(raw: Readonly<Record<string, string>>, key: string): unknown {
    const text = raw[key];
    if (text === undefined) return undefined;
    const parsed = parseJson(text);
    return parsed === undefined ? text : parsed;
}

/** Builds the context from raw stack config (key → string, as in `PULUMI_CONFIG`). */
export function gateContextFromConfig(raw: Readonly<Record<string, string>>): GateContext {
    const phaseValue = numberOf(structured(raw, "vauntico:phase"));
    const declaredPhase = isPhaseNumber(phaseValue) ? phaseValue : null;
    const payments = recordOf(structured(raw, "vauntico:payments"));
    const dottedMode = raw["vauntico:payments.mode"];
    const mode = payments["mode"] ?? dottedMode;
    const environment = recordOf(structured(raw, "vauntico:environment"));
    const merge = recordOf(structured(raw, "vauntico:mergeProtection"));
    const secrets = recordsOf(structured(raw, "vauntico:secrets"));
    const sentry = recordOf(structured(raw, "vauntico:sentry"));
    return {
        declaredPhase,
        phase: declaredPhase ?? 5,
        paymentsMode: isPaymentMode(mode) ? mode : null,
        environmentName: stringOf(environment["name"]) ?? "production",
        defaultBranch: stringOf(merge["branch"]) ?? "main",
        requiredChecks: stringsOf(merge["requiredChecks"]),
        requiredApprovals: Math.max(1, numberOf(merge["requiredApprovals"]) ?? 1),
        declaredSecrets: secrets.map((s) => stringOf(s["name"])).filter((n): n is string => n !== undefined),
        stripeConfigured: isRecord(payments["stripe"]),
        paystackConfigured: isRecord(payments["paystack"]),
        sentryProjects: recordsOf(sentry["projects"]).map((p) => stringOf(p["slug"])).filter((s): s is string => s !== undefined),
    };
}

/** Reads `PULUMI_CONFIG` (a JSON object of key → string) from an environment. */
export function gateContextFromEnv(env: NodeJS.ProcessEnv): GateContext {
    const parsed = parseJson(env["PULUMI_CONFIG"] ?? "{}");
    const raw: Record<string, string> = {};
    if (isRecord(parsed)) {
        for (const [key, value] of Object.entries(parsed)) {
            if (typeof value === "string") raw[key.replace(/^([^:]+):config:/, "$1:")] = value;
        }
    }
    return gateContextFromConfig(raw);
}
