import { numberOf, parseJson, recordOf, recordsOf, stringOf } from "../../policy/gates/read.js";

/** What the stack last wrote to Grafana, read from its state (`pulumi stack export`). */
export interface DashboardTarget {
    uid: string;
    title: string;
    /** The dashboard version Grafana returned when the stack last saved it. */
    version: number | undefined;
}

export interface RuleTarget {
    group: string;
    name: string;
    uid: string;
    paused: boolean;
}

export interface MonitoringTargets {
    dashboards: DashboardTarget[];
    rules: RuleTarget[];
    contactPoints: string[];
}

const types = {
    dashboard: "grafana:oss/dashboard:Dashboard",
    ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
    contactPoint: "grafana:alerting/contactPoint:ContactPoint",
};

/** The dashboards, rules and contact points in a `pulumi stack export` document; throws when it is not one. */
export function monitoringTargets(exported: unknown): MonitoringTargets {
    const deployment = recordOf(recordOf(exported)["deployment"]);
    if (!Array.isArray(deployment["resources"])) throw new Error("not a `pulumi stack export` document (no deployment.resources)");
    const resources = recordsOf(deployment["resources"]);
    const ofType = (type: string) => resources.filter((r) => r["type"] === type).map((r) => ({ ...recordOf(r["inputs"]), ...recordOf(r["outputs"]) }));
    const dashboards = ofType(types.dashboard).flatMap((props) => {
        const model = recordOf(parseJson(props["configJson"]));
        const uid = stringOf(props["uid"]) ?? stringOf(model["uid"]);
        return uid === undefined ? [] : [{ uid, title: stringOf(model["title"]) ?? uid, version: numberOf(props["version"]) }];
    });
    const rules = ofType(types.ruleGroup).flatMap((group) =>
        recordsOf(group["rules"]).map((rule) => ({
            group: stringOf(group["name"]) ?? "",
            name: stringOf(rule["name"]) ?? "",
            uid: stringOf(rule["uid"]) ?? "",
            paused: rule["isPaused"] === true,
        })),
    );
    const contactPoints = ofType(types.contactPoint)
        .map((cp) => stringOf(cp["name"]))
        .filter((name): name is string => name !== undefined);
    return { dashboards, rules, contactPoints: [...new Set(contactPoints)].sort() };
}
