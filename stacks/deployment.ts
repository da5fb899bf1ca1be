import type * as pulumi from "@pulumi/pulumi";
import { MergeProtection, ProductionEnvironment } from "../components/github/index.js";
import { HandoffLedger, HandoffPhase } from "../components/protocol/index.js";
import { RevenueActivation, revenueActivatedAtOutput } from "../components/revenue/index.js";
import { DeploymentSecrets } from "../components/secrets/index.js";
import type { StackConfig } from "./config.js";
import type { Ledger } from "./ledger.js";
import { createErrorTracking, createMonitoring } from "./monitoring.js";
import { createPayments } from "./payments.js";

/** What the stack exports; nothing here is a plaintext secret. */
export interface DeploymentOutputs {
    phase: number;
    repository: string;
    environmentName: pulumi.Output<string>;
    deliveredSecrets: string[];
    protectedBranch: string;
    [name: string]: unknown;
}

/**
 * Composes the components a stack needs from its validated config and its handoff ledger. Phase 1's components always exist; the
 * later phases' components exist once their config section is set, and the gates of each phase demand them.
 */
export function createDeployment(config: StackConfig, ledger: Ledger): DeploymentOutputs {
    const repository = config.github.repository;

    const secrets = new DeploymentSecrets("deployment-secrets", { secrets: config.secrets });

    const environment = new ProductionEnvironment("production", {
        repository,
        environmentName: config.environment.name,
        reviewers: config.environment.reviewers,
        secrets: secrets.secrets.map((s) => ({ name: s.declaration.name, value: s.value })),
        variables: config.environment.variables,
    });
    const deliveryTarget = { repository, environment: environment.environmentName };

    const mergeProtection = new MergeProtection("merge-protection", {
        repository,
        branch: config.mergeProtection.branch,
        requiredChecks: config.mergeProtection.requiredChecks,
        requiredApprovals: config.mergeProtection.requiredApprovals,
    });

    const outputs: DeploymentOutputs = {
        phase: config.phase,
        repository: `${config.github.owner}/${repository}`,
        environmentName: environment.environmentName,
        deliveredSecrets: [...environment.secretNames],
        protectedBranch: mergeProtection.branch,
    };

    // The phase carried into the stack itself: stack policies read it (handoff-phase-declared cross-checks it).
    new HandoffPhase("handoff-phase", { phase: config.phase, ...(config.payments ? { paymentsMode: config.payments.mode } : {}) });
    // The handoff ledger carried into the stack: the ledger gates judge it against the config's teams and phase.
    new HandoffLedger("handoff-ledger", ledger);

    // Later phases' components, delivering their secrets to the same environment.
    if (config.monitoring) {
        const monitoring = createMonitoring(config, config.monitoring);
        outputs["grafanaFolderUid"] = monitoring.folderUid;
        outputs["alertRuleUids"] = monitoring.ruleUids;
    }
    if (config.sentry) outputs["sentryDsnSecrets"] = Object.values(createErrorTracking(config.sentry, deliveryTarget));
    if (config.payments) {
        Object.assign(outputs, createPayments(config, config.payments, deliveryTarget));
        const revenue = new RevenueActivation("revenue-activation", { mode: config.payments.mode, phase: config.phase });
        if (revenue.activated) outputs[revenueActivatedAtOutput] = revenue.activatedAt;
    }
    return outputs;
}
