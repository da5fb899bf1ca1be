import { describe, expect, it } from "vitest";
import { monitoringTargets } from "../../../cli/validate/monitoringTargets.js";

const resource = (type: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) => ({ type, inputs, outputs });
const exported = (...resources: unknown[]) => ({ version: 3, deployment: { resources } });
const dashboardType = "grafana:oss/dashboard:Dashboard";
const ruleGroupType = "grafana:alerting/ruleGroup:RuleGroup";
const contactPointType = "grafana:alerting/contactPoint:ContactPoint";

describe("monitoringTargets", () => {
    it("refuses a document without deployment.resources", () => {
        for (const document of [{}, { deployment: {} }, { deployment: { resources: {} } }, null, "x"]) {
            expect(() => monitoringTargets(document)).toThrow("not a `pulumi stack export` document (no deployment.resources)");
        }
        expect(monitoringTargets(exported())).toEqual({ dashboards: [], rules: [], contactPoints: [] });
    });

    it("reads each dashboard's uid, title and saved version, outputs over inputs", () => {
        const targets = monitoringTargets(
            exported(
                resource(dashboardType, { configJson: JSON.stringify({ uid: "from-model", title: "Payments" }) }, { uid: "from-output", version: 7 }),
                resource(dashboardType, { configJson: JSON.stringify({ uid: "model-only" }) }),
                resource(dashboardType, { configJson: JSON.stringify({ title: "No uid" }) }),
                resource("grafana:oss/folder:Folder", { uid: "a-folder", configJson: JSON.stringify({ uid: "a-folder" }) }),
            ),
        );
        expect(targets.dashboards).toEqual([
            { uid: "from-output", title: "Payments", version: 7 },
            { uid: "model-only", title: "model-only", version: undefined },
        ]);
    });

    it("reads every rule of every rule group, paused or not", () => {
        const targets = monitoringTargets(
            exported(
                resource(ruleGroupType, {
                    name: "payments",
                    rules: [{ name: "Failure ratio", uid: "r1" }, { name: "No payment", uid: "r2", isPaused: true }, { isPaused: "yes" }],
                }),
                resource(ruleGroupType, {}),
                resource(ruleGroupType, { rules: [{ name: "Unnamed group's rule", uid: "r3" }] }),
            ),
        );
        expect(targets.rules).toEqual([
            { group: "payments", name: "Failure ratio", uid: "r1", paused: false },
            { group: "payments", name: "No payment", uid: "r2", paused: true },
            { group: "payments", name: "", uid: "", paused: false },
            { group: "", name: "Unnamed group's rule", uid: "r3", paused: false },
        ]);
    });

    it("lists each contact point's name once, sorted", () => {
        const targets = monitoringTargets(
            exported(
                resource(contactPointType, { name: "vauntico-kilo" }),
                resource(contactPointType, { name: "vauntico-all" }),
                resource(contactPointType, {}, { name: "vauntico-kilo" }),
                resource(contactPointType, {}),
            ),
        );
        expect(targets.contactPoints).toEqual(["vauntico-all", "vauntico-kilo"]);
    });
});
