import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
    environmentValueNamePattern,
    maxEnvironmentReviewers,
    maxEnvironmentSecrets,
    maxEnvironmentValueBytes,
    maxEnvironmentVariables,
    repeatedReviewers,
    repeatedSecretNames,
    requiredApprovalsRange,
    valueBytes,
} from "../components/github/index.js";
import {
    durationPattern,
    isRatioThreshold,
    maxWaitSeconds,
    minEvaluationIntervalSeconds,
    minWaitSeconds,
    noPaymentHoursRange,
} from "../components/grafana/index.js";
import { modeOfPaystackKey, paystackDeliveredSecretNames } from "../components/paystack/index.js";
import { maximumSecretBytes, minimumSecretBytes } from "../components/secrets/index.js";
import { errorTrackingSecretNames, metricAlertWindows, sentrySlugPattern, slackChannelPattern, slackIntegrationIdPattern } from "../components/sentry/index.js";
import { repeatedIndexes } from "../components/shared/index.js";
import { isSdkApiVersion, isSdkEnabledEvent, modeOfApiKey, stripeDeliveredSecretNames } from "../components/stripe/index.js";
import { type CredentialKey, credentialEnvironment, credentialKeys, neededCredentials, setCredentialCommand } from "./credentials.js";
import { shownValue } from "./shownValue.js";
import { httpsUrlProblem, publicWebhookUrlProblem, userinfoProblem, withoutUserinfo } from "../components/urls/index.js";
import { type Waiver, parseLedgerDocument } from "../policy/protocol/index.js";

export { type CredentialKey, credentialKeys } from "./credentials.js";

/**
 * The stack's whole configuration, validated in one place before any resource is registered.
 *
 * zod because its schemas are the TypeScript types (one declaration, no drift between validation and the
 * typed config the program uses), it reports every issue with its path rather than stopping at the first,
 * and it is small and well kept. Pulumi's own `Config.require*` stops at the first missing key and has no
 * notion of nested objects or cross-field rules.
 */

const githubNamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const teamSlugPattern = /^[a-z0-9][a-z0-9_-]{0,99}$/;
const repositoryPattern = /^[A-Za-z0-9_.-]{1,100}$/;

/** A GitHub login, as every login in the config is checked (commands taking a `--by LOGIN` use it too). */
export const githubLogin = z.string().regex(githubNamePattern, "expected a GitHub username (letters, digits, single hyphens, ≤ 39 characters)");
const teamSlug = z.string().regex(teamSlugPattern, "expected a GitHub team slug (lowercase letters, digits, '-' or '_')");
/**
 * A URL judged by one of the components' URL rules. A refused URL is shown without its userinfo (the
 * `given` of the problem), so a password in it never reaches a message.
 */
const urlBy = (problemOf: (url: string) => string | undefined) =>
    z.string({ error: "expected an https:// URL" }).superRefine((url, ctx) => {
        const problem = problemOf(url);
        if (problem !== undefined) ctx.addIssue({ code: "custom", input: withoutUserinfo(url), message: problem });
    });
/** Grafana and Sentry URLs: https, no credentials (self-hosted instances on private networks are fine). */
const httpsUrl = urlBy(httpsUrlProblem);
/** Where a payment provider posts webhooks: https, no credentials or fragment, a host the internet can reach. */
const webhookUrl = urlBy(publicWebhookUrlProblem);
const email = z.email({ error: "expected an email address" });

export const secretEncodings = ["hex", "base64"] as const;

const secretSpec = z.strictObject({
    name: z.string().regex(environmentValueNamePattern, "expected an UPPER_SNAKE_CASE name not starting with GITHUB_"),
    bytes: z
        .number({ error: "expected a whole number of bytes" })
        .int("expected a whole number of bytes")
        .min(minimumSecretBytes, `expected at least ${minimumSecretBytes} bytes (${minimumSecretBytes * 8} bits of entropy)`)
        .max(maximumSecretBytes, `expected at most ${maximumSecretBytes} bytes`),
    encoding: z.enum(secretEncodings, { error: `expected one of ${secretEncodings.join(", ")}` }),
    rotation: z.number().int("expected a whole number").min(1, "expected a rotation epoch ≥ 1").default(1),
    description: z.string().optional(),
});

const secretSet = z
    .array(secretSpec)
    .min(1, "expected at least one secret")
    .superRefine((secrets, ctx) => {
        for (const { index, first } of repeatedSecretNames(secrets.map((secret) => secret.name))) {
            ctx.addIssue({ code: "custom", path: [index, "name"], input: secrets[index]?.name, message: `duplicate secret name (also at index ${first})` });
        }
    });

const reviewers = z
    .strictObject({
        teams: z.array(teamSlug).default([]),
        users: z.array(githubLogin).default([]),
    })
    .refine((r) => r.teams.length + r.users.length >= 1, "expected at least one required reviewer (team or user)")
    .refine(
        (r) => r.teams.length + r.users.length <= maxEnvironmentReviewers,
        `GitHub allows at most ${maxEnvironmentReviewers} required reviewers per environment`,
    )
    .superRefine((r, ctx) => {
        for (const { list, index, first } of repeatedReviewers(r)) {
            ctx.addIssue({
                code: "custom",
                path: [list, index],
                input: r[list][index],
                message: `repeats ${list}[${first}]; GitHub compares logins and team slugs case-insensitively`,
            });
        }
    });

/** A non-secret setting: within GitHub's size limit, and no credential inside a URL (variables are readable by anyone with read access). */
const variableValue = z.string().superRefine((value, ctx) => {
    const userinfo = userinfoProblem(value);
    if (userinfo !== undefined) ctx.addIssue({ code: "custom", input: withoutUserinfo(value), message: `a URL that ${userinfo}` });
    const bytes = valueBytes(value);
    if (bytes > maxEnvironmentValueBytes)
        ctx.addIssue({ code: "custom", input: `${bytes} bytes`, message: `GitHub allows at most ${maxEnvironmentValueBytes} bytes (48 KB) per variable` });
});

const environment = z.strictObject({
    name: z.string().min(1).max(255).default("production"),
    reviewers,
    /** Non-secret settings delivered as environment variables. */
    variables: z
        .record(z.string().regex(environmentValueNamePattern, "expected an UPPER_SNAKE_CASE variable name"), variableValue)
        .refine(
            (variables) => Object.keys(variables).length <= maxEnvironmentVariables,
            `GitHub allows at most ${maxEnvironmentVariables} variables per environment`,
        )
        .default({}),
});

const mergeProtection = z.strictObject({
    branch: z.string().min(1).default("main"),
    requiredChecks: z.array(z.string().min(1)).min(1, "expected at least one required status check (the CI jobs that must pass)"),
    requiredApprovals: z
        .number()
        .int("expected a whole number")
        .min(requiredApprovalsRange.min, `expected at least ${requiredApprovalsRange.min} approving review`)
        .max(requiredApprovalsRange.max, `GitHub allows at most ${requiredApprovalsRange.max} required approvals`),
});

export const paymentModes = ["test", "live"] as const;

const payments = z.strictObject({
    mode: z.enum(paymentModes, { error: `expected one of ${paymentModes.join(", ")}` }),
    stripe: z
        .strictObject({
            webhookUrl,
            /** Stripe API version the endpoint's events are rendered in; defaults to the SDK's pinned version. */
            apiVersion: z.string().refine(isSdkApiVersion, "expected a Stripe API version the stripe SDK lists, such as 2026-10-28.endive").optional(),
            events: z
                .array(z.string().refine(isSdkEnabledEvent, "expected a Stripe event type the stripe SDK lists, such as payment_intent.succeeded"))
                .min(1)
                .superRefine((events, ctx) => {
                    for (const { index, first } of repeatedIndexes(events, (event) => event)) {
                        ctx.addIssue({
                            code: "custom",
                            path: [index],
                            input: events[index],
                            message: `listed twice (also at index ${first}); list each event type once`,
                        });
                    }
                })
                .optional(),
            description: z.string().max(5000).optional(),
        })
        .optional(),
    paystack: z
        .strictObject({
            webhookUrl,
        })
        .optional(),
});

const duration = z.string().regex(durationPattern, "expected a duration such as 30s, 5m or 1h");
const ratioThreshold = z.number().refine(isRatioThreshold, "expected a ratio below 1 and above 0 (0.1 is 10%)");

/** Who an escalation level reaches in Grafana IRM: user IDs (grafana.onCall.getUser) or one user group ID. */
const escalationTarget = z.union(
    [
        z.strictObject({ users: z.array(z.string().min(1)).min(1, "expected at least one Grafana IRM user ID") }),
        z.strictObject({ userGroup: z.string().min(1, "expected a Grafana IRM user group ID") }),
    ],
    { error: "expected { users: [Grafana IRM user IDs] } or { userGroup: Grafana IRM user group ID }" },
);

const perSignal = <T extends z.ZodType>(value: T) =>
    z.strictObject({
        paymentFailureRatio: value.optional(),
        webhookDeliveryFailures: value.optional(),
        signatureVerificationFailure: value.optional(),
        errorRate: value.optional(),
        noSuccessfulPayment: value.optional(),
    });

const monitoring = z.strictObject({
    grafana: z.strictObject({
        folder: z.string().min(1).default("Vauntico production"),
        datasourceUid: z.string().min(1, "expected the UID of the Prometheus data source"),
    }),
    alerting: z.strictObject({
        /** Recipients of every alert; `teamEmails` narrows a team's alerts to its own list. */
        emails: z.array(email).min(1, "expected at least one email address for alert notifications"),
        teamEmails: z
            .strictObject({
                Kilo: z.array(email).min(1, "expected at least one email address").optional(),
                Cline: z.array(email).min(1, "expected at least one email address").optional(),
            })
            .default({}),
        slackChannel: z.string().regex(slackChannelPattern, "expected a Slack channel such as #deployment").optional(),
        /** Thresholds: ratios (0–1) for failure and error ratios, a count for signature failures (fires above it). */
        thresholds: z
            .strictObject({
                paymentFailureRatio: ratioThreshold.optional(),
                webhookDeliveryFailures: ratioThreshold.optional(),
                signatureVerificationFailure: z.number().int("expected a whole number of failures").min(0, "expected 0 or more").optional(),
                errorRate: ratioThreshold.optional(),
                noSuccessfulPaymentHours: z
                    .number()
                    .int("expected a whole number of hours")
                    .min(noPaymentHoursRange.min, `expected at least ${noPaymentHoursRange.min} hour`)
                    .max(noPaymentHoursRange.max, `expected at most ${noPaymentHoursRange.max} hours`)
                    .optional(),
            })
            .default({}),
        pendingPeriods: perSignal(duration).default({}),
        evaluationIntervalSeconds: z
            .number()
            .int("expected a whole number of seconds")
            .min(minEvaluationIntervalSeconds, `expected at least ${minEvaluationIntervalSeconds} seconds`)
            .max(3600)
            .optional(),
        /** The protocol's escalation path in Grafana IRM: L1 per team, then L2, L3, then L4 (incident). */
        escalation: z.strictObject({
            teamLeads: z.strictObject({ Kilo: escalationTarget, Cline: escalationTarget }),
            crossTeam: escalationTarget,
            executives: escalationTarget,
            incidentAfterMinutes: z
                .number()
                .int("expected a whole number of minutes")
                .min(minWaitSeconds / 60, `expected at least ${minWaitSeconds / 60} minute`)
                .max(maxWaitSeconds / 60, `expected at most ${maxWaitSeconds / 60} minutes (OnCall waits up to 24 h)`)
                .optional(),
            incidentSeverity: z.string().min(1).optional(),
        }),
    }),
});

const sentrySlugMessage = (what: string): string => `expected a Sentry ${what} slug (lowercase letters, digits, '-' or '_', at most 50 characters)`;

const sentry = z.strictObject({
    organization: z.string().regex(sentrySlugPattern, sentrySlugMessage("organization")),
    team: z.string().regex(sentrySlugPattern, sentrySlugMessage("team")),
    projects: z
        .array(
            z.strictObject({
                slug: z.string().regex(sentrySlugPattern, sentrySlugMessage("project")),
                platform: z.string().min(1),
                /** Errors per metric-alert window above which the metric alert fires; default 50. */
                errorCountThreshold: z.number().int("expected a whole number of errors").min(1, "expected at least 1").optional(),
            }),
        )
        .min(1, "expected at least one Sentry project"),
    /** Sentry's Slack integration (installed in Sentry's UI) and the channel its alerts go to. */
    slack: z.strictObject({
        integrationId: z.string().regex(slackIntegrationIdPattern, "expected the numeric ID of Sentry's Slack integration (Settings → Integrations → Slack)"),
        channel: z.string().regex(slackChannelPattern, "expected a Slack channel such as #alerts"),
    }),
    metricAlertWindowMinutes: z.literal([...metricAlertWindows], { error: `expected one of ${metricAlertWindows.join(", ")} minutes` }).optional(),
});

const teamMembers = z
    .strictObject({
        /** The team's GitHub team slug in the `github:owner` organization (CODEOWNERS, mentions). */
        slug: teamSlug,
        /** The team lead's login: L1 of the escalation path, assignee of the team's blockers. */
        lead: githubLogin,
        /** Every member's login, the lead included: who may sign the team's ledger entries. */
        members: z.array(githubLogin).min(1, "expected at least one member login"),
    })
    .superRefine((team, ctx) => {
        const members = new Set(team.members.map((m) => m.toLowerCase()));
        if (!members.has(team.lead.toLowerCase())) {
            ctx.addIssue({ code: "custom", path: ["lead"], input: team.lead, message: "expected the lead to be one of the team's members" });
        }
        const seen = new Set<string>();
        team.members.forEach((member, index) => {
            if (seen.has(member.toLowerCase()))
                ctx.addIssue({
                    code: "custom",
                    path: ["members", index],
                    input: member,
                    message: "duplicate member login (logins compare case-insensitively)",
                });
            seen.add(member.toLowerCase());
        });
    });

/** The protocol's two teams: who may sign, accept and approve in the handoff ledger. */
const teamsConfig = z
    .strictObject(
        { Kilo: teamMembers, Cline: teamMembers },
        {
            error: (issue) =>
                issue.code === "unrecognized_keys"
                    ? `unknown team ${issue.keys.join(", ")}; the protocol has two teams, Kilo and Cline`
                    : "expected the two teams, Kilo and Cline, each { slug, lead, members }: who may sign, accept, waive and move phases in the handoff ledger",
        },
    )
    .superRefine((teams, ctx) => {
        // One GitHub team for both would make each team's CODEOWNERS lines (its own sign-offs) the other's too.
        if (teams.Kilo.slug === teams.Cline.slug) {
            ctx.addIssue({
                code: "custom",
                path: ["Cline", "slug"],
                input: teams.Cline.slug,
                message: "expected a GitHub team of its own (Kilo has the same slug)",
            });
        }
        const kilo = new Set(teams.Kilo.members.map((m) => m.toLowerCase()));
        teams.Cline.members.forEach((member, index) => {
            if (kilo.has(member.toLowerCase()))
                ctx.addIssue({
                    code: "custom",
                    path: ["Cline", "members", index],
                    input: member,
                    message: "a login may belong to one team only (also in Kilo)",
                });
        });
    });

/** How each configuration key is read from the stack file, and what it must hold. */
const settingKeys = {
    "vauntico:phase": z.literal([1, 2, 3, 4, 5], { error: "expected a whole number from 1 to 5" }),
    "vauntico:repository": z.string().regex(repositoryPattern, "expected a GitHub repository name (without the owner)"),
    "vauntico:environment": environment,
    "vauntico:mergeProtection": mergeProtection,
    "vauntico:secrets": secretSet,
    "vauntico:payments": payments.optional(),
    "vauntico:monitoring": monitoring.optional(),
    "vauntico:sentry": sentry.optional(),
    /** Required: the handoff ledger (handoff/<stack>/) is judged against these teams. */
    "vauntico:teams": teamsConfig,
    /** The ledger's waivers, mirrored by `npm run handoff -- waive` so the pack honours them from its start (policy/gates/waivers.ts). */
    "vauntico:waivers": z.array(z.unknown(), { error: "expected a list of waiver entries (written by npm run handoff -- waive)" }).optional(),
    /** L3 of the escalation path ("Executive notification"): GitHub logins mentioned on a blocker at L3. */
    "vauntico:executives": z.array(githubLogin).min(1, "expected at least one executive's GitHub login").optional(),
    "github:owner": z.string().regex(githubNamePattern, "expected a GitHub organization or user name"),
    "grafana:url": httpsUrl.optional(),
    "sentry:baseUrl": httpsUrl.optional(),
} as const;
const settingsSchema = z.object(settingKeys);

/** Credentials the payment components deliver to the production environment as secrets (GitHub's value limit applies). */
const deliveredCredentials = new Set<string>(["vauntico:stripeSecretKey", "vauntico:paystackSecretKey"]);

/** Keys that hold plain strings in the stack file; every other setting is YAML/JSON (numbers, lists, objects). */
const stringKeys = new Set<string>(["vauntico:repository", "github:owner", "grafana:url", "sentry:baseUrl"]);

export type SecretSpec = z.output<typeof secretSpec>;
export type EnvironmentConfig = z.output<typeof environment>;
export type MergeProtectionConfig = z.output<typeof mergeProtection>;
export type PaymentsConfig = z.output<typeof payments>;
export type MonitoringConfig = z.output<typeof monitoring>;
export type SentryConfig = z.output<typeof sentry>;
export type TeamsConfig = z.output<typeof teamsConfig>;
export type PaymentMode = (typeof paymentModes)[number];

export interface StackConfig {
    phase: 1 | 2 | 3 | 4 | 5;
    github: { owner: string; repository: string };
    environment: EnvironmentConfig;
    mergeProtection: MergeProtectionConfig;
    secrets: SecretSpec[];
    payments?: PaymentsConfig;
    monitoring?: MonitoringConfig;
    sentry?: SentryConfig;
    teams: TeamsConfig;
    /** `vauntico:waivers`: the ledger's waivers as mirrored in the config. */
    waivers: Waiver[];
    executives?: string[];
    providers: { grafanaUrl?: string; sentryBaseUrl?: string };
    /** Credentials present in the stack, each a Pulumi secret. */
    credentials: Partial<Record<CredentialKey, pulumi.Output<string>>>;
}

export interface ConfigProblem {
    /** Full config key with the path inside it, e.g. `vauntico:secrets[1].bytes`. */
    key: string;
    /** What was given, rendered for the message; absent for credentials and for missing keys. */
    given?: string;
    /** What is wrong and what would be valid. */
    expected: string;
}

/** Every problem of a stack's config, in one error. */
export class StackConfigError extends Error {
    constructor(public readonly problems: readonly ConfigProblem[]) {
        super(formatProblems(problems));
        this.name = "StackConfigError";
    }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
    const lines = problems.map((p) => `  - ${p.key}: ${p.given === undefined ? "" : `got ${p.given}; `}${p.expected}`);
    return `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

function decode(key: string, raw: string): unknown {
    if (stringKeys.has(key)) return raw;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function joinPath(key: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`), key);
}

/**
 * Validates raw stack config (as `pulumi.runtime.allConfig()` gives it: every value a string, structured
 * values as JSON) into a typed `StackConfig`, or throws one `StackConfigError` naming every bad key.
 * Pure apart from wrapping credentials in `pulumi.secret`: registers nothing.
 */
export function parseStackConfig(
    raw: Readonly<Record<string, string>>,
    secretKeys: ReadonlySet<string>,
    environment: Readonly<Record<string, string | undefined>> = {},
): StackConfig {
    const problems: ConfigProblem[] = [];
    const decoded: Record<string, unknown> = {};
    for (const key of Object.keys(settingKeys)) {
        const text = raw[key];
        if (text !== undefined) decoded[key] = decode(key, text);
    }
    const parsed = settingsSchema.safeParse(decoded, { reportInput: true });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const [key, ...path] = issue.path;
            const name = String(key);
            const missing = path.length === 0 && raw[name] === undefined;
            // Keys the schema does not know: named, their values never shown (they may be anything).
            const unknownKeys = issue.code === "unrecognized_keys";
            problems.push({
                key: joinPath(name, path),
                ...(missing || unknownKeys ? {} : { given: shownValue(issue.input) }),
                expected: missing ? `missing; ${issue.message}` : unknownKeys ? `${issue.message} (values not shown)` : issue.message,
            });
        }
    }

    const credentials: Partial<Record<CredentialKey, pulumi.Output<string>>> = {};
    for (const key of credentialKeys) {
        const value = raw[key];
        if (value === undefined) continue;
        if (!secretKeys.has(key)) {
            problems.push({
                key,
                expected: `a credential must be a Pulumi secret: set it with \`pulumi config set --secret ${key} <value>\` (the plaintext value is not shown)`,
            });
        } else if (value.length === 0) {
            problems.push({ key, expected: "a credential must not be empty" });
        } else if (deliveredCredentials.has(key) && valueBytes(value) > maxEnvironmentValueBytes) {
            problems.push({
                key,
                expected: `delivered as a GitHub environment secret, which GitHub limits to ${maxEnvironmentValueBytes} bytes (48 KB); this one is ${valueBytes(value)} (the value is not shown)`,
            });
        } else {
            credentials[key] = pulumi.secret(value);
        }
    }

    const known = new Set<string>([...Object.keys(settingKeys), ...credentialKeys]);
    for (const key of Object.keys(raw).sort()) {
        if (known.has(key)) continue;
        const namespace = key.split(":")[0] ?? "";
        if (namespace === "vauntico") {
            // Never its value: a mistyped credential key holds the credential.
            problems.push({
                key,
                expected: `unknown key (its value is not shown); known vauntico keys: ${[...known].filter((k) => k.startsWith("vauntico:")).join(", ")}`,
            });
        }
    }

    if (parsed.success) problems.push(...crossKeyProblems(parsed.data, raw), ...missingCredentialProblems(raw, environment));
    if (problems.length > 0 || !parsed.success) throw new StackConfigError(problems);

    const typed = parsed.data;
    return {
        phase: typed["vauntico:phase"],
        github: { owner: typed["github:owner"], repository: typed["vauntico:repository"] },
        environment: typed["vauntico:environment"],
        mergeProtection: typed["vauntico:mergeProtection"],
        secrets: typed["vauntico:secrets"],
        ...(typed["vauntico:payments"] ? { payments: typed["vauntico:payments"] } : {}),
        ...(typed["vauntico:monitoring"] ? { monitoring: typed["vauntico:monitoring"] } : {}),
        ...(typed["vauntico:sentry"] ? { sentry: typed["vauntico:sentry"] } : {}),
        teams: typed["vauntico:teams"],
        waivers: waiverMirror(typed["vauntico:waivers"]).waivers,
        ...(typed["vauntico:executives"] ? { executives: typed["vauntico:executives"] } : {}),
        providers: {
            ...(typed["grafana:url"] ? { grafanaUrl: typed["grafana:url"] } : {}),
            ...(typed["sentry:baseUrl"] ? { sentryBaseUrl: typed["sentry:baseUrl"] } : {}),
        },
        credentials,
    };
}

/** Each payment key and the component rule that reads its mode. */
const paymentKeyModes = {
    "vauntico:stripeSecretKey": modeOfApiKey,
    "vauntico:paystackSecretKey": modeOfPaystackKey,
} as const;

/**
 * A payment key must be of the stack's payment mode, so `vauntico:payments.mode` — what the gates read — is
 * faithful to the keys the processors actually use: a live key cannot hide under mode "test". Keys whose
 * format is not recognised are left to the payment components, which say what they expect.
 */
function paymentKeyModeProblems(mode: PaymentMode, raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const [key, modeOf] of Object.entries(paymentKeyModes)) {
        const keyMode = modeOf(raw[key] ?? "");
        if (keyMode !== undefined && keyMode !== mode) {
            problems.push({
                key,
                expected: `a ${keyMode}-mode key is set but vauntico:payments.mode is "${mode}"; use a ${mode}-mode key, or set the mode to "${keyMode}" (live only at phase 5) — the key itself is not shown`,
            });
        }
    }
    return problems;
}

/** The waiver mirror's entries, checked like the ledger's (each problem named by entry and field). */
function waiverMirror(value: readonly unknown[] | undefined): { waivers: Waiver[]; problems: ConfigProblem[] } {
    const parsed = parseLedgerDocument(value ?? [], "vauntico:waivers", "waiver");
    return {
        waivers: parsed.records.flatMap(({ entry }) => (entry.kind === "waiver" ? [entry] : [])),
        problems: parsed.problems.map((p) => ({
            key: `vauntico:waivers[${p.entry}].${p.field}`,
            ...(p.given === undefined ? {} : { given: p.given }),
            expected: p.expected,
        })),
    };
}

/** A secret delivered to the production environment, and the config key that makes the stack deliver it. */
interface DeliveredSecret {
    name: string;
    key: string;
}

/**
 * Every secret the stack delivers to the production environment, from the names each component says it
 * delivers: the generated secrets, the payment components' keys and signing secret, Sentry's DSNs.
 */
export function deliveredEnvironmentSecrets(config: {
    secrets: readonly SecretSpec[];
    payments?: PaymentsConfig | undefined;
    sentry?: SentryConfig | undefined;
}): DeliveredSecret[] {
    const delivered: DeliveredSecret[] = config.secrets.map((secret, index) => ({ name: secret.name, key: `vauntico:secrets[${index}].name` }));
    const { payments, sentry } = config;
    if (payments?.stripe) delivered.push(...stripeDeliveredSecretNames.map((name) => ({ name, key: "vauntico:payments.stripe" })));
    if (payments?.paystack) delivered.push(...paystackDeliveredSecretNames.map((name) => ({ name, key: "vauntico:payments.paystack" })));
    if (sentry) delivered.push(...errorTrackingSecretNames(sentry.projects).map((name, index) => ({ name, key: `vauntico:sentry.projects[${index}].slug` })));
    return delivered;
}

/** GitHub's per-environment secret limit, counting every secret the stack delivers, and no name delivered twice. */
function environmentSecretProblems(settings: z.output<typeof settingsSchema>): ConfigProblem[] {
    const delivered = deliveredEnvironmentSecrets({
        secrets: settings["vauntico:secrets"],
        payments: settings["vauntico:payments"],
        sentry: settings["vauntico:sentry"],
    });
    const problems: ConfigProblem[] = [];
    const generated = settings["vauntico:secrets"].length;
    if (delivered.length > maxEnvironmentSecrets) {
        problems.push({
            key: "vauntico:secrets",
            given: `${delivered.length} environment secrets`,
            expected:
                `GitHub allows at most ${maxEnvironmentSecrets} secrets per environment; the stack delivers ${generated} generated ` +
                `and ${delivered.length - generated} from vauntico:payments and vauntico:sentry — remove ${delivered.length - maxEnvironmentSecrets}`,
        });
    }
    // Within vauntico:secrets, repeats are reported by the schema; here, a name another section also delivers.
    for (const { index, first } of repeatedSecretNames(delivered.map((secret) => secret.name))) {
        const [earlier, later] = [delivered[first], delivered[index]];
        if (earlier === undefined || later === undefined || later.key.startsWith("vauntico:secrets[")) continue;
        const fix = earlier.key.startsWith("vauntico:secrets[") ? "rename the generated secret" : "give one of them another name";
        problems.push({
            key: earlier.key,
            given: JSON.stringify(earlier.name),
            expected: `${later.key} also delivers ${later.name} to the environment; ${fix}`,
        });
    }
    return problems;
}

/** Rules that span keys: a configured vendor needs its credential. */
function crossKeyProblems(settings: z.output<typeof settingsSchema>, raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [...waiverMirror(settings["vauntico:waivers"]).problems];
    const paymentSettings = settings["vauntico:payments"];
    if (paymentSettings) problems.push(...paymentKeyModeProblems(paymentSettings.mode, raw));
    problems.push(...environmentSecretProblems(settings));
    if (settings["vauntico:monitoring"] !== undefined && raw["grafana:url"] === undefined) {
        problems.push({ key: "grafana:url", expected: "missing; required when vauntico:monitoring is set (your Grafana URL, https://…)" });
    }
    return problems;
}

/** Each credential the settings need that is neither in the config nor in the variable its provider reads. */
function missingCredentialProblems(raw: Readonly<Record<string, string>>, environment: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
    return neededCredentials(raw)
        .filter(({ key }) => {
            const variable = credentialEnvironment[key];
            return raw[key] === undefined && (variable === undefined || !environment[variable]);
        })
        .map(({ key, neededBy }) => ({ key, expected: `missing; needed by ${neededBy}: set it with ${setCredentialCommand(key)}` }));
}

/**
 * The config keys the Pulumi CLI marked secret. The Node language host hands the program its config in
 * `PULUMI_CONFIG` and the secret keys in `PULUMI_CONFIG_SECRET_KEYS`; the SDK reads the same variables
 * but exposes no public accessor for the latter.
 */
export function configSecretKeys(env: NodeJS.ProcessEnv = process.env): Set<string> {
    const text = env["PULUMI_CONFIG_SECRET_KEYS"];
    if (!text) return new Set();
    const parsed: unknown = JSON.parse(text);
    return new Set(Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === "string").map(cleanConfigKey) : []);
}

/** Older CLIs name keys `ns:config:key`; the SDK strips `:config:` the same way. */
function cleanConfigKey(key: string): string {
    return key.replace(/^([^:]+):config:/, "$1:");
}

/**
 * Reads and validates the running stack's config. A bad config is a `pulumi.RunError`, the SDK's way to
 * report a user error: the CLI prints its message (every problem) without a stack trace.
 */
export function loadStackConfig(): StackConfig {
    try {
        return parseStackConfig(pulumi.runtime.allConfig(), configSecretKeys(), process.env);
    } catch (error) {
        if (error instanceof StackConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}
