import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isSdkApiVersion, isSdkEnabledEvent } from "../components/stripe/index.js";

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
// GitHub secret and variable names: letters, digits and underscores, not starting with a digit or GITHUB_.
const githubSecretNamePattern = /^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/;

const githubLogin = z.string().regex(githubNamePattern, "expected a GitHub username (letters, digits, single hyphens, ≤ 39 characters)");
const teamSlug = z.string().regex(teamSlugPattern, "expected a GitHub team slug (lowercase letters, digits, '-' or '_')");
const httpsUrl = z.url({ protocol: /^https$/, error: "expected an https:// URL" });
const email = z.email({ error: "expected an email address" });

export const secretEncodings = ["hex", "base64"] as const;

const secretSpec = z.strictObject({
    name: z.string().regex(githubSecretNamePattern, "expected an UPPER_SNAKE_CASE name not starting with GITHUB_"),
    bytes: z.number({ error: "expected a whole number of bytes" }).int("expected a whole number of bytes")
        .min(32, "expected at least 32 bytes (256 bits of entropy)").max(1024, "expected at most 1024 bytes"),
    encoding: z.enum(secretEncodings, { error: `expected one of ${secretEncodings.join(", ")}` }),
    rotation: z.number().int("expected a whole number").min(1, "expected a rotation epoch ≥ 1").default(1),
    description: z.string().optional(),
});

const secretSet = z.array(secretSpec).min(1, "expected at least one secret").superRefine((secrets, ctx) => {
    const seen = new Map<string, number>();
    secrets.forEach((secret, index) => {
        const first = seen.get(secret.name);
        if (first !== undefined) {
            ctx.addIssue({ code: "custom", path: [index, "name"], input: secret.name, message: `duplicate secret name (also at index ${first})` });
        }
        seen.set(secret.name, index);
    });
});

const reviewers = z.strictObject({
    teams: z.array(teamSlug).default([]),
    users: z.array(githubLogin).default([]),
}).refine((r) => r.teams.length + r.users.length >= 1, "expected at least one required reviewer (team or user)")
    .refine((r) => r.teams.length + r.users.length <= 6, "GitHub allows at most 6 required reviewers per environment");

const environment = z.strictObject({
    name: z.string().min(1).max(255).default("production"),
    reviewers,
    /** Non-secret settings delivered as environment variables. */
    variables: z.record(z.string().regex(githubSecretNamePattern, "expected an UPPER_SNAKE_CASE variable name"), z.string()).default({}),
});

const mergeProtection = z.strictObject({
    branch: z.string().min(1).default("main"),
    requiredChecks: z.array(z.string().min(1)).min(1, "expected at least one required status check (the CI jobs that must pass)"),
    requiredApprovals: z.number().int("expected a whole number").min(1, "expected at least 1 approving review").max(6, "GitHub allows at most 6 required approvals"),
});

export const paymentModes = ["test", "live"] as const;

const payments = z.strictObject({
    mode: z.enum(paymentModes, { error: `expected one of ${paymentModes.join(", ")}` }),
    stripe: z.strictObject({
        webhookUrl: httpsUrl,
        /** Stripe API version the endpoint's events are rendered in; defaults to the SDK's pinned version. */
        apiVersion: z.string().refine(isSdkApiVersion, "expected a Stripe API version the stripe SDK lists, such as 2026-10-28.endive").optional(),
        events: z.array(z.string().refine(isSdkEnabledEvent, "expected a Stripe event type the stripe SDK lists, such as payment_intent.succeeded")).min(1).optional(),
        description: z.string().max(5000).optional(),
    }).optional(),
    paystack: z.strictObject({
        webhookUrl: httpsUrl,
    }).optional(),
});

const duration = z.string().regex(/^([0-9]+(ms|s|m|h|d))+$/, "expected a duration such as 30s, 5m or 1h");
const ratioThreshold = z.number().gt(0, "expected a ratio above 0").lt(1, "expected a ratio below 1 (0.1 is 10%)");

/** Who an escalation level reaches in Grafana IRM: user IDs (grafana.onCall.getUser) or one user group ID. */
const escalationTarget = z.union([
    z.strictObject({ users: z.array(z.string().min(1)).min(1, "expected at least one Grafana IRM user ID") }),
    z.strictObject({ userGroup: z.string().min(1, "expected a Grafana IRM user group ID") }),
], { error: "expected { users: [Grafana IRM user IDs] } or { userGroup: Grafana IRM user group ID }" });

const perSignal = <T extends z.ZodType>(value: T) => z.strictObject({
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
        teamEmails: z.strictObject({
            Kilo: z.array(email).min(1, "expected at least one email address").optional(),
            Cline: z.array(email).min(1, "expected at least one email address").optional(),
        }).default({}),
        slackChannel: z.string().regex(/^#?[a-z0-9_-]{1,80}$/, "expected a Slack channel such as #deployment").optional(),
        /** Thresholds: ratios (0–1) for failure and error ratios, a count for signature failures (fires above it). */
        thresholds: z.strictObject({
            paymentFailureRatio: ratioThreshold.optional(),
            webhookDeliveryFailures: ratioThreshold.optional(),
            signatureVerificationFailure: z.number().int("expected a whole number of failures").min(0, "expected 0 or more").optional(),
            errorRate: ratioThreshold.optional(),
            noSuccessfulPaymentHours: z.number().int("expected a whole number of hours").min(1, "expected at least 1 hour").max(168, "expected at most 168 hours").optional(),
        }).default({}),
        pendingPeriods: perSignal(duration).default({}),
        evaluationIntervalSeconds: z.number().int("expected a whole number of seconds").min(10, "expected at least 10 seconds").max(3600).optional(),
        /** The protocol's escalation path in Grafana IRM: L1 per team, then L2, L3, then L4 (incident). */
        escalation: z.strictObject({
            teamLeads: z.strictObject({ Kilo: escalationTarget, Cline: escalationTarget }),
            crossTeam: escalationTarget,
            executives: escalationTarget,
            incidentAfterMinutes: z.number().int("expected a whole number of minutes").min(1, "expected at least 1 minute").max(1440, "expected at most 1440 minutes (OnCall waits up to 24 h)").optional(),
            incidentSeverity: z.string().min(1).optional(),
        }),
    }),
});

const sentry = z.strictObject({
    organization: z.string().regex(teamSlugPattern, "expected a Sentry organization slug"),
    team: z.string().regex(teamSlugPattern, "expected a Sentry team slug"),
    projects: z.array(z.strictObject({
        slug: z.string().regex(teamSlugPattern, "expected a Sentry project slug"),
        platform: z.string().min(1),
        /** Errors per metric-alert window above which the metric alert fires; default 50. */
        errorCountThreshold: z.number().int("expected a whole number of errors").min(1, "expected at least 1").optional(),
    })).min(1, "expected at least one Sentry project"),
    /** Sentry's Slack integration (installed in Sentry's UI) and the channel its alerts go to. */
    slack: z.strictObject({
        integrationId: z.string().regex(/^[0-9]+$/, "expected the numeric ID of Sentry's Slack integration (Settings → Integrations → Slack)"),
        channel: z.string().regex(/^#?[a-z0-9_-]{1,80}$/, "expected a Slack channel such as #alerts"),
    }),
    metricAlertWindowMinutes: z.literal([1, 5, 10, 15, 30, 60, 120, 240, 1440], { error: "expected one of 1, 5, 10, 15, 30, 60, 120, 240, 1440 minutes" }).optional(),
});

const teamMembers = z.strictObject({
    /** The team's GitHub team slug in the `github:owner` organization (CODEOWNERS, mentions). */
    slug: teamSlug,
    /** The team lead's login: L1 of the escalation path, assignee of the team's blockers. */
    lead: githubLogin,
    /** Every member's login, the lead included: who may sign the team's ledger entries. */
    members: z.array(githubLogin).min(1, "expected at least one member login"),
}).superRefine((team, ctx) => {
    const members = new Set(team.members.map((m) => m.toLowerCase()));
    if (!members.has(team.lead.toLowerCase())) {
        ctx.addIssue({ code: "custom", path: ["lead"], input: team.lead, message: "expected the lead to be one of the team's members" });
    }
    const seen = new Set<string>();
    team.members.forEach((member, index) => {
        if (seen.has(member.toLowerCase())) ctx.addIssue({ code: "custom", path: ["members", index], input: member, message: "duplicate member login (logins compare case-insensitively)" });
        seen.add(member.toLowerCase());
    });
});

/** The protocol's two teams: who may sign, accept and approve in the handoff ledger. */
const teamsConfig = z.strictObject({ Kilo: teamMembers, Cline: teamMembers }).superRefine((teams, ctx) => {
    // One GitHub team for both would make each team's CODEOWNERS lines (its own sign-offs) the other's too.
    if (teams.Kilo.slug === teams.Cline.slug) {
        ctx.addIssue({ code: "custom", path: ["Cline", "slug"], input: teams.Cline.slug, message: "expected a GitHub team of its own (Kilo has the same slug)" });
    }
    const kilo = new Set(teams.Kilo.members.map((m) => m.toLowerCase()));
    teams.Cline.members.forEach((member, index) => {
        if (kilo.has(member.toLowerCase())) ctx.addIssue({ code: "custom", path: ["Cline", "members", index], input: member, message: "a login may belong to one team only (also in Kilo)" });
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
    "vauntico:teams": teamsConfig.optional(),
    /** L3 of the escalation path ("Executive notification"): GitHub logins mentioned on a blocker at L3. */
    "vauntico:executives": z.array(githubLogin).min(1, "expected at least one executive's GitHub login").optional(),
    "github:owner": z.string().regex(githubNamePattern, "expected a GitHub organization or user name"),
    "grafana:url": httpsUrl.optional(),
    "sentry:baseUrl": httpsUrl.optional(),
} as const;
const settingsSchema = z.object(settingKeys);

/** Credentials: accepted only as Pulumi secrets (`pulumi config set --secret`), never printed. */
export const credentialKeys = [
    "vauntico:stripeSecretKey",
    "vauntico:paystackSecretKey",
    "vauntico:slackWebhookUrl",
    "github:token",
    "grafana:auth",
    "grafana:oncallAccessToken",
    "sentry:token",
] as const;
export type CredentialKey = (typeof credentialKeys)[number];

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
    teams?: TeamsConfig;
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

function render(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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
export function parseStackConfig(raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>): StackConfig {
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
            problems.push({
                key: joinPath(name, path),
                ...(missing ? {} : { given: render(issue.input) }),
                expected: missing ? `missing; ${issue.message}` : issue.message,
            });
        }
    }

    const credentials: Partial<Record<CredentialKey, pulumi.Output<string>>> = {};
    for (const key of credentialKeys) {
        const value = raw[key];
        if (value === undefined) continue;
        if (!secretKeys.has(key)) {
            problems.push({ key, expected: `a credential must be a Pulumi secret: set it with \`pulumi config set --secret ${key} <value>\` (the plaintext value is not shown)` });
        } else if (value.length === 0) {
            problems.push({ key, expected: "a credential must not be empty" });
        } else {
            credentials[key] = pulumi.secret(value);
        }
    }

    const known = new Set<string>([...Object.keys(settingKeys), ...credentialKeys]);
    for (const key of Object.keys(raw).sort()) {
        if (known.has(key)) continue;
        const namespace = key.split(":")[0] ?? "";
        if (namespace === "vauntico") {
            problems.push({ key, given: secretKeys.has(key) ? "[secret]" : render(raw[key]), expected: `unknown key; known vauntico keys: ${[...known].filter((k) => k.startsWith("vauntico:")).join(", ")}` });
        }
    }

    if (parsed.success) problems.push(...crossKeyProblems(parsed.data, raw));
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
        ...(typed["vauntico:teams"] ? { teams: typed["vauntico:teams"] } : {}),
        ...(typed["vauntico:executives"] ? { executives: typed["vauntico:executives"] } : {}),
        providers: {
            ...(typed["grafana:url"] ? { grafanaUrl: typed["grafana:url"] } : {}),
            ...(typed["sentry:baseUrl"] ? { sentryBaseUrl: typed["sentry:baseUrl"] } : {}),
        },
        credentials,
    };
}

/** The mode a payment key's prefix declares: Stripe `sk_`/`rk_` + `test_`/`live_`, Paystack `sk_` + `test_`/`live_`. */
const paymentKeyPrefixes = {
    "vauntico:stripeSecretKey": /^(?:sk|rk)_(test|live)_/,
    "vauntico:paystackSecretKey": /^sk_(test|live)_/,
} as const;

/**
 * A payment key must be of the stack's payment mode, so `vauntico:payments.mode` — what the gates read — is
 * faithful to the keys the processors actually use: a live key cannot hide under mode "test". Keys whose
 * format is not recognised are left to the payment components, which say what they expect.
 */
function paymentKeyModeProblems(mode: PaymentMode, raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const [key, prefix] of Object.entries(paymentKeyPrefixes)) {
        const keyMode = prefix.exec(raw[key] ?? "")?.[1];
        if (keyMode !== undefined && keyMode !== mode) {
            problems.push({ key, expected: `a ${keyMode}-mode key is set but vauntico:payments.mode is "${mode}"; use a ${mode}-mode key, or set the mode to "${keyMode}" (live only at phase 5) — the key itself is not shown` });
        }
    }
    return problems;
}

/** Rules that span keys: a configured vendor needs its credential. */
function crossKeyProblems(settings: z.output<typeof settingsSchema>, raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const paymentSettings = settings["vauntico:payments"];
    if (paymentSettings) {
        if (paymentSettings.stripe && raw["vauntico:stripeSecretKey"] === undefined) {
            problems.push({ key: "vauntico:stripeSecretKey", expected: "missing; required when vauntico:payments.stripe is set (pulumi config set --secret vauntico:stripeSecretKey sk_test_…)" });
        }
        if (paymentSettings.paystack && raw["vauntico:paystackSecretKey"] === undefined) {
            problems.push({ key: "vauntico:paystackSecretKey", expected: "missing; required when vauntico:payments.paystack is set (pulumi config set --secret vauntico:paystackSecretKey sk_test_…)" });
        }
        problems.push(...paymentKeyModeProblems(paymentSettings.mode, raw));
    }
    if (settings["vauntico:monitoring"] !== undefined && raw["grafana:url"] === undefined) {
        problems.push({ key: "grafana:url", expected: "missing; required when vauntico:monitoring is set (your Grafana URL, https://…)" });
    }
    if (settings["vauntico:monitoring"] !== undefined && raw["vauntico:slackWebhookUrl"] === undefined) {
        problems.push({ key: "vauntico:slackWebhookUrl", expected: "missing; required when vauntico:monitoring is set (pulumi config set --secret vauntico:slackWebhookUrl https://hooks.slack.com/services/…)" });
    }
    return problems;
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

/** Reads and validates the running stack's config. */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), configSecretKeys());
}
