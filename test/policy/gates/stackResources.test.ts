import { describe, expect, it } from "vitest";
import { type AlertRule, dashboards, durationSeconds, hasThreshold, readAlertRule, stripeEndpoints } from "../../../policy/gates/stackResources.js";
import { dashboard, stripeEndpoint } from "../../support/fixtures.js";
import { policyResource } from "../../support/gateHarness.js";

describe("durationSeconds", () => {
    it("reads each Grafana unit", () => {
        expect(["250ms", "90s", "5m", "2h", "1d", "1w"].map(durationSeconds)).toEqual([0.25, 90, 300, 7200, 86400, 604800]);
    });
    it("adds up compound durations and decimals, around surrounding blanks", () => {
        expect(durationSeconds("1h30m")).toBe(5400);
        expect(durationSeconds("1m30s")).toBe(90);
        expect(durationSeconds("1.5m")).toBe(90);
        expect(durationSeconds(" 5m ")).toBe(300);
    });
    it("is undefined for nothing, no unit, an unknown unit, or text around a duration", () => {
        for (const text of [undefined, "", "5", "5y", "about 5m", "5m later", "5m x 2s"]) expect(durationSeconds(text), String(text)).toBeUndefined();
    });
});

describe("hasThreshold", () => {
    const ruleWith = (models: Record<string, unknown>[]): AlertRule => ({ ...readAlertRule({}), models, group: policyResource(stripeEndpoint()) });
    const condition = (params: unknown) => ({ conditions: [{ evaluator: { type: "gt", params } }] });
    it("is true for a threshold or classic condition with a numeric bound (a number or numeric text)", () => {
        expect(hasThreshold(ruleWith([{ type: "threshold", ...condition([0.05]) }]))).toBe(true);
        expect(hasThreshold(ruleWith([{ type: "classic_conditions", ...condition(["3"]) }]))).toBe(true);
        expect(hasThreshold(ruleWith([{ type: "math" }, { type: "threshold", ...condition(["x", 1]) }]))).toBe(true);
    });
    it("is false for other expression types, no bound, a non-numeric bound or params that are not a list", () => {
        expect(hasThreshold(ruleWith([{ type: "math", ...condition([1]) }]))).toBe(false);
        expect(hasThreshold(ruleWith([{ type: "threshold", ...condition([]) }]))).toBe(false);
        expect(hasThreshold(ruleWith([{ type: "threshold", ...condition(["high"]) }]))).toBe(false);
        expect(hasThreshold(ruleWith([{ type: "threshold", ...condition(1) }]))).toBe(false);
        expect(hasThreshold(ruleWith([]))).toBe(false);
    });
});

describe("readAlertRule", () => {
    it("reads name, string labels, pending period, own contact point and parsed models", () => {
        expect(
            readAlertRule({
                name: "r",
                labels: { signal: "s", count: 3 },
                for: "5m",
                notificationSettings: { contactPoint: "ops" },
                datas: [{ model: '{"type":"threshold"}' }, { model: "not json" }, "not a record"],
            }),
        ).toEqual({ name: "r", labels: { signal: "s" }, pendingFor: "5m", contactPoint: "ops", models: [{ type: "threshold" }, {}] });
    });
    it("names an unnamed rule as such", () => {
        expect(readAlertRule({})).toEqual({ name: "(unnamed rule)", labels: {}, pendingFor: undefined, contactPoint: undefined, models: [] });
    });
});

describe("stripeEndpoints and dashboards", () => {
    it("read an endpoint's events only from a list", () => {
        expect(stripeEndpoints([policyResource(stripeEndpoint({ enabledEvents: "*" }))]).map((e) => e.enabledEvents)).toEqual([[]]);
        expect(stripeEndpoints([policyResource(stripeEndpoint({ enabledEvents: ["*"] }))]).map((e) => e.enabledEvents)).toEqual([["*"]]);
    });
    it("read a dashboard's uid, title and folder; an empty folder is none", () => {
        expect(dashboards([policyResource(dashboard("u", "T", "f"))]).map(({ uid, title, folder }) => ({ uid, title, folder }))).toEqual([
            { uid: "u", title: "T", folder: "f" },
        ]);
        expect(dashboards([policyResource(dashboard("u", "T", ""))]).map((d) => d.folder)).toEqual([undefined]);
        expect(dashboards([policyResource(dashboard("u", "T", null))]).map((d) => d.folder)).toEqual([undefined]);
    });
});
