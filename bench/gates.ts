import { loadavg } from "node:os";
import { type PolicyPackSession, openPolicyPack } from "../cli/analyzer/index.js";
import type { PlannedResource } from "../cli/plan/index.js";
import {
    componentTypes,
    deliveredSecretNames,
    dynamicKindProperty,
    dynamicResourceType,
    requiredDashboards,
    requiredStripeEvents,
    sentryDsnSecretName,
    stripeWebhookEndpointKind,
} from "../policy/protocol/index.js";
import { types } from "../test/support/fixtures.js";
import { formatSample, summarise } from "./measure.js";

function resource(type: string, name: string, inputs: Record<string, unknown>, secretProps: readonly string[] = []): PlannedResource {
    return {
        urn: `urn:pulumi:bench::vauntico-deploy::${type}::${name}`,
        type,
        name,
        parent: null,
        custom: !type.startsWith("vauntico:"),
        inputs,
        outputs: inputs,
        secretPaths: secretProps.flatMap((p) => [`inputs.${p}`, `outputs.${p}`]),
    };
}

function secret(name: string): PlannedResource {
    return resource(
        types.environmentSecret,
        `secret-${name}`,
        { repository: "vauntico", environment: "production", secretName: name, plaintextValue: "[secret]" },
        ["plaintextValue"],
    );
}

const threshold = JSON.stringify({ type: "threshold", conditions: [{ evaluator: { type: "gt", params: [0.05] } }] });

/** A compliant stack of about `size` resources: the fixed phase 1–5 resources, then repeated secrets, dashboards, rules and Sentry projects. */
export function syntheticStack(size: number): PlannedResource[] {
    const signals = ["payment-failure-ratio", "webhook-delivery-failures", "signature-verification-failure", "error-rate", "no-successful-payment"];
    const rule = (signal: string, index: number) => ({
        name: `${signal}-${index}`,
        for: "5m",
        labels: { signal, severity: "critical", team: "cline" },
        datas: [{ refId: "B", model: threshold }],
    });
    const fixed: PlannedResource[] = [
        resource(types.environment, "environment", {
            environment: "production",
            reviewers: [{ teams: [1], users: [] }],
            canAdminsBypass: false,
            preventSelfReview: true,
            deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
        }),
        resource(types.branchProtection, "main", {
            pattern: "main",
            enforceAdmins: true,
            requiredStatusChecks: [{ strict: true, contexts: ["test"] }],
            requiredPullRequestReviews: [
                { requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true, requireLastPushApproval: true },
            ],
            requireConversationResolution: true,
            allowsForcePushes: false,
            allowsDeletions: false,
        }),
        resource(dynamicResourceType, "stripe", {
            [dynamicKindProperty]: stripeWebhookEndpointKind,
            url: "https://api.vauntico.com/stripe",
            enabledEvents: [...requiredStripeEvents],
            apiVersion: "2026-10-28.endive",
            mode: "test",
        }),
        resource(componentTypes.paystackWebhook, "paystack", { webhookUrl: "https://api.vauntico.com/paystack", mode: "test" }),
        secret(deliveredSecretNames.stripeSecretKey),
        secret(deliveredSecretNames.stripeWebhookSecret),
        secret(deliveredSecretNames.paystackSecretKey),
        resource(types.folder, "folder", { title: "Vauntico", uid: "folder" }),
        ...Object.values(requiredDashboards).map((d) =>
            resource(types.dashboard, d.uid, { folder: "folder", configJson: JSON.stringify({ uid: d.uid, title: d.title }) }),
        ),
        resource(types.ruleGroup, "rules", { name: "rules", rules: signals.map(rule) }),
        resource(types.contactPoint, "contact", { name: "all", slacks: [{ url: "[secret]" }], emails: [{ addresses: ["ops@vauntico.com"] }] }),
        resource(types.notificationPolicy, "policy", {
            contactPoint: "all",
            groupBies: ["alertname"],
            policies: [{ matchers: [{ label: "team", match: "=", value: "cline" }], contactPoint: "all" }],
        }),
        resource(types.escalationChain, "chain", { name: "chain" }),
        ...["notify_persons", "wait", "notify_user_group", "wait", "notify_persons", "wait", "declare_incident"].map((type, position) =>
            resource(types.escalation, `step-${position}`, { escalationChainId: "chain", position, type, ...(type === "wait" ? { duration: 3600 } : {}) }),
        ),
    ];
    const resources = [...fixed];
    const unitSize = 10;
    for (let i = 0; resources.length + unitSize <= size; i++) {
        const name = `SECRET_${i}`;
        const slug = `project-${i}`;
        resources.push(
            resource(types.randomBytes, `bytes-${i}`, { length: 32, keepers: { name, rotation: "1" } }),
            secret(name),
            resource(types.dashboard, `dashboard-${i}`, { folder: "folder", configJson: JSON.stringify({ uid: `d-${i}`, title: `Dashboard ${i}` }) }),
            resource(types.ruleGroup, `rules-${i}`, { name: `rules-${i}`, rules: [rule("error-rate", i)] }),
            resource(types.sentryProject, slug, { organization: "vauntico", name: slug, slug }),
            resource(types.sentryKey, `${slug}-key`, { organization: "vauntico", project: slug }),
            resource(types.sentryIssueAlert, `${slug}-issues`, { organization: "vauntico", project: slug }),
            resource(types.sentryMetricAlert, `${slug}-metric`, { organization: "vauntico", project: slug }),
            secret(sentryDsnSecretName(slug)),
            resource(types.contactPoint, `contact-${i}`, { name: `contact-${i}`, emails: [{ addresses: ["x@vauntico.com"] }] }),
        );
    }
    for (let i = 0; resources.length < size; i++) {
        resources.push(resource(types.contactPoint, `extra-contact-${i}`, { name: `extra-${i}`, emails: [{ addresses: ["x@vauntico.com"] }] }));
    }
    return resources.slice(0, size);
}

async function timeEvaluation(
    session: PolicyPackSession,
    resources: readonly PlannedResource[],
    runs: number,
): Promise<{ times: number[]; violations: number }> {
    const times: number[] = [];
    let violations = 0;
    for (let i = 0; i <= runs; i++) {
        const start = process.hrtime.bigint();
        const verdicts = await session.evaluate(resources);
        if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
        violations = verdicts.filter((v) => v.enforcement === "mandatory").length;
    }
    return { times, violations };
}

/**
 * Issue figure: gate evaluation through the analyzer (Analyze per resource + AnalyzeStack, over gRPC, pack
 * already started) on synthetic stacks; time per resource should stay flat, goal ≤ 0.5 ms at 1,000.
 */
export async function benchGates(runs = 5): Promise<string[]> {
    const lines = ["## Gate evaluation through the Analyzer gRPC service", ""];
    const config = { "vauntico:phase": "5", "vauntico:mergeProtection": JSON.stringify({ branch: "main", requiredChecks: ["test"], requiredApprovals: 2 }) };
    const startTimes: number[] = [];
    const sessions: PolicyPackSession[] = [];
    try {
        for (const analyzeEveryResource of [false, true, true]) {
            const start = process.hrtime.bigint();
            sessions.push(await openPolicyPack({ project: "vauntico-deploy", stack: "bench", config, analyzeEveryResource }));
            startTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        lines.push(formatSample(summarise("pack start (run-policy-pack → port → GetAnalyzerInfo, Configure)", startTimes)));
        const modes: [string, PolicyPackSession | undefined][] = [
            ["Analyze for tagged types + AnalyzeStack (preflight)", sessions[0]],
            ["Analyze every resource + AnalyzeStack (as the engine)", sessions[1]],
        ];
        for (const [mode, session] of modes) {
            if (!session) continue;
            lines.push("", `${mode}:`);
            for (const size of [100, 1000, 5000]) {
                const { times, violations } = await timeEvaluation(session, syntheticStack(size), runs);
                const sample = summarise(`  evaluate ${size} resources`, times);
                lines.push(
                    `${formatSample(sample)}  ${(sample.medianMs / size).toFixed(3)} ms/resource${violations > 0 ? `  (${violations} mandatory violations!)` : ""}`,
                );
            }
        }
    } finally {
        for (const session of sessions) await session.close();
    }
    lines.push(
        "",
        "goal: ≤ 0.5 ms/resource at 1,000, flat from 100 to 5,000",
        `machine load average during the run: ${loadavg()
            .map((l) => l.toFixed(1))
            .join(", ")} (2 cores shared)`,
    );
    return lines;
}
