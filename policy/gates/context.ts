import { type LedgerRecord, type PaymentMode, type PhaseNumber, type TeamRoster, handoffNow, parseLedgerDocument, phaseNumbers } from "../protocol/index.js";
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
    /** `vauntico:teams` (the logins of each team); null when not configured. */
    teams: TeamRoster | null;
    /**
     * `vauntico:waivers`: the ledger's waivers, mirrored into the stack config by `npm run handoff -- waive`.
     * A resource gate's enforcement is fixed when the pack starts, before it sees the ledger carried in the
     * stack, so the waivers it honours must come from the config; `handoff-ledger-entries` checks that the
     * mirror equals the ledger. Entries that do not parse are left out (the program's config check names them).
     */
    waivers: readonly LedgerRecord[];
    /** The handoff clock (`handoffNow`), read once when the context is built. */
    now: number;
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

function roster(value: unknown): TeamRoster | null {
    const teams = recordOf(value);
    const kilo = recordOf(teams["Kilo"]);
    const cline = recordOf(teams["Cline"]);
    const kiloLead = stringOf(kilo["lead"]);
    const clineLead = stringOf(cline["lead"]);
    if (kiloLead === undefined || clineLead === undefined) return null;
    return { Kilo: { lead: kiloLead, members: stringsOf(kilo["members"]) }, Cline: { lead: clineLead, members: stringsOf(cline["members"]) } };
}

/** The waiver mirror's config key. */
export const waiversConfigKey = "vauntico:waivers";

/** Builds the context from raw stack config (key → string, as in `PULUMI_CONFIG`); `now` defaults to the handoff clock. */
export function gateContextFromConfig(raw: Readonly<Record<string, string>>, now: number = handoffNow()): GateContext {
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
        sentryProjects: recordsOf(sentry["projects"])
            .map((p) => stringOf(p["slug"]))
            .filter((s): s is string => s !== undefined),
        teams: roster(structured(raw, "vauntico:teams")),
        waivers: parseLedgerDocument(structured(raw, waiversConfigKey) ?? [], waiversConfigKey, "waiver").records,
        now,
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
