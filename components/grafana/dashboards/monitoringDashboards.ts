import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { PhaseNumber } from "../../../policy/protocol/teams.js";
import { requiredDashboards } from "../../../policy/protocol/contract.js";
import { stableJson } from "../stableJson.js";
import { dashboardSpecs } from "./definitions.js";
import { buildDashboard, dashboardQueryProblems, type DashboardSpec } from "./panels.js";

export type DashboardKey = keyof typeof requiredDashboards;
export const dashboardKeys: readonly DashboardKey[] = ["webhooks", "payments", "revenue"];

/** The dashboards the protocol needs by a phase: each from the phase that introduces it on. */
export function dashboardsForPhase(phase: PhaseNumber): DashboardKey[] {
    return dashboardKeys.filter((key) => requiredDashboards[key].phase <= phase);
}

/** The JSON Grafana stores for a dashboard: sorted keys, so the same input gives the same bytes. */
export function dashboardJson(spec: DashboardSpec, datasourceUid: string): string {
    return stableJson(buildDashboard(spec, datasourceUid));
}

/** Problems with a list of dashboard keys, naming the field: empty when valid. */
export function dashboardKeyProblems(keys: readonly string[]): string[] {
    const valid: readonly string[] = dashboardKeys;
    const unknown = keys.filter((key) => !valid.includes(key));
    const problems: string[] = [];
    if (unknown.length > 0) problems.push(`dashboards: unknown ${unknown.join(", ")}; valid: ${dashboardKeys.join(", ")}`);
    if (new Set(keys).size !== keys.length) problems.push(`dashboards: listed twice in [${keys.join(", ")}]`);
    return problems;
}

export interface MonitoringDashboardsArgs {
    /** UID of the Prometheus data source every panel queries. */
    datasourceUid: pulumi.Input<string>;
    /** Which dashboards to create; default: all (webhooks, payments, revenue). */
    dashboards?: readonly DashboardKey[];
    /** Title of the folder holding the dashboards (and the alert rules); default `Vauntico`. */
    folderTitle?: pulumi.Input<string>;
    /** Stable UID of that folder; default `vauntico`. */
    folderUid?: string;
}

export const monitoringDashboardsType = "vauntico:grafana:MonitoringDashboards";

/** A Grafana folder with the protocol's dashboards, built from the metrics contract. */
export class MonitoringDashboards extends pulumi.ComponentResource {
    public readonly folderUid: pulumi.Output<string>;
    /** Dashboard UIDs by key, for links from alert rules and reports. */
    public readonly dashboardUids: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: MonitoringDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(monitoringDashboardsType, name, args, opts);
        const keys = args.dashboards ?? dashboardKeys;
        const problems = dashboardKeyProblems(keys);
        for (const key of keys) if (Object.hasOwn(dashboardSpecs, key)) problems.push(...dashboardQueryProblems(dashboardSpecs[key]));
        if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);
        const folderUid = args.folderUid ?? "vauntico";
        if (!/^[a-zA-Z0-9_-]{1,40}$/.test(folderUid)) {
            throw new pulumi.ResourceError(`folderUid: "${folderUid}" is not a Grafana UID (1-40 of letters, digits, "-", "_")`, this);
        }
        if (typeof args.datasourceUid === "string" && args.datasourceUid.trim() === "") {
            throw new pulumi.ResourceError("datasourceUid: empty; give the Prometheus data source's UID", this);
        }

        const folder = new grafana.oss.Folder(`${name}-folder`, { title: args.folderTitle ?? "Vauntico", uid: folderUid }, { parent: this });
        const uids: Record<string, string> = {};
        for (const key of keys) {
            const spec = dashboardSpecs[key];
            uids[key] = spec.uid;
            new grafana.oss.Dashboard(
                `${name}-${key}`,
                {
                    folder: folder.uid,
                    configJson: pulumi.output(args.datasourceUid).apply((uid) => dashboardJson(spec, uid)),
                    overwrite: true,
                    message: "Managed by Pulumi (vauntico-deploy)",
                },
                { parent: this },
            );
        }
        this.folderUid = folder.uid;
        this.dashboardUids = pulumi.output(uids);
        this.registerOutputs({ folderUid: this.folderUid, dashboardUids: this.dashboardUids });
    }
}
