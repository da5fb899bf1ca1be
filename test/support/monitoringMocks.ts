import type * as pulumi from "@pulumi/pulumi";
import { planMocks } from "../../cli/plan/fakeOutputs.js";

/** Outputs the monitoring components read that a provider computes (echoed inputs do not carry them). */
const computed: Record<string, (name: string) => Record<string, unknown>> = {
    "grafana:onCall/integration:Integration": (name) => ({ link: `https://oncall.example.test/integrations/v1/grafana_alerting/${name}/` }),
    "grafana:oss/folder:Folder": () => ({}),
    "sentry:index/sentryTeam:SentryTeam": (name) => ({ internalId: `team-${name}` }),
    "sentry:index/sentryKey:SentryKey": (name) => ({
        dsnPublic: `https://${name}@o1.ingest.sentry.example.test/1`,
        secret: `secret-of-${name}`,
        dsnSecret: `https://${name}:secret@o1.ingest.sentry.example.test/1`,
    }),
};

/** The plan's mocks plus the computed outputs above. */
export function monitoringMocks(): pulumi.runtime.Mocks {
    const base = planMocks();
    return {
        async newResource(args) {
            const result = await base.newResource(args);
            const extra = computed[args.type]?.(args.name) ?? {};
            return { ...result, state: { ...result.state, ...extra } };
        },
        call: (args) => base.call(args),
    };
}
