import { metrics, type MetricDefinition } from "../../../components/grafana/index.js";

/** Values for the contract's free-form labels (bounded by the application in real life). */
const freeFormValues: Record<string, readonly string[]> = {
    route: ["/checkout", "/webhooks/:provider", "/api/waitlist"],
    currency: ["USD", "NGN"],
};

/** Every label combination of a metric, labels in sorted order. */
export function labelCombinations(definition: MetricDefinition): Record<string, string>[] {
    let combinations: Record<string, string>[] = [{}];
    for (const [label, values] of Object.entries(definition.labels).sort(([a], [b]) => a.localeCompare(b))) {
        const choices = values ?? freeFormValues[label];
        if (choices === undefined) throw new Error(`${definition.name}: no synthetic values for free-form label ${label}`);
        combinations = combinations.flatMap((combination) => choices.map((value) => ({ ...combination, [label]: value })));
    }
    return combinations;
}

/**
 * Healthy traffic per minute for one series: everything succeeds or is processed, a few failures and
 * 4xx, no 5xx beyond a trace, no signature failure (exported at 0, as the contract requires), revenue only
 * where payments succeed live.
 */
function perMinute(metric: string, labels: Record<string, string>): number {
    const live = labels["mode"] === "live";
    switch (metric) {
        case metrics.payments.name:
            return labels["outcome"] === "failed" ? 1 : live ? 20 : 5;
        case metrics.refunds.name:
        case metrics.disputes.name:
            return live ? 1 : 0;
        case metrics.webhookDeliveries.name:
            return labels["outcome"] === "failed" ? 0 : 30;
        case metrics.signatureVerificationFailures.name:
            return 0;
        case metrics.httpRequests.name:
            return { "2xx": 100, "3xx": 5, "4xx": 3, "5xx": 1 }[labels["status_class"] ?? ""] ?? 0;
        case metrics.revenue.name:
            return live && ((labels["provider"] === "stripe" && labels["currency"] === "USD") || (labels["provider"] === "paystack" && labels["currency"] === "NGN")) ? 250_000 : 0;
        case metrics.funnel.name:
            return { waitlist_joined: 40, beta_invited: 20, signed_up: 10, first_payment: 4 }[labels["stage"] ?? ""] ?? 0;
        default:
            return 0;
    }
}

function labelText(labels: Record<string, string>): string {
    const entries = Object.entries(labels);
    return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;
}

/**
 * The whole metrics contract as OpenMetrics text (what `promtool tsdb create-blocks-from openmetrics` reads):
 * every series of every metric, a sample every `stepSeconds` from `endSeconds - minutes` to `endSeconds`.
 */
export function contractOpenMetrics(endSeconds: number, minutes: number, stepSeconds = 60): { text: string; series: number } {
    const lines: string[] = [];
    let series = 0;
    const start = endSeconds - minutes * 60;
    for (const definition of Object.values(metrics)) {
        const family = definition.name.replace(/_total$/, "");
        lines.push(`# HELP ${family} ${definition.help}`, `# TYPE ${family} ${definition.type}`);
        for (const labels of labelCombinations(definition)) {
            series++;
            const rate = perMinute(definition.name, labels) * (stepSeconds / 60);
            for (let t = start, value = 0; t <= endSeconds; t += stepSeconds, value += rate) {
                lines.push(`${definition.name}${labelText(labels)} ${value} ${t}`);
            }
        }
    }
    lines.push("# EOF");
    return { text: `${lines.join("\n")}\n`, series };
}
