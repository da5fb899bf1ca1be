import { describe, expect, it } from "vitest";
import { contactPointIntegrations, routeContactPoints } from "../../../policy/gates/routing.js";
import { types } from "../../support/fixtures.js";
import { policyResource } from "../../support/gateHarness.js";

// Called in-process; test/policy/gates/phase4.test.ts judges routing through the gates.

const contactPoint = (name: string, props: Record<string, unknown>) => policyResource({ type: types.contactPoint, name, props });

describe("contactPointIntegrations", () => {
    it("reads each contact point's integrations, each kind alone, merged by name; other resources are not contact points", () => {
        const found = contactPointIntegrations([
            contactPoint("a", { name: "ops", slacks: [{ url: "s" }] }),
            contactPoint("b", { name: "ops", emails: [{ addresses: ["x@example.org"] }] }),
            contactPoint("c", { name: "mail", emails: [{ addresses: ["y@example.org"] }], slacks: [] }),
            contactPoint("bare", {}),
            policyResource({ type: types.escalationChain, name: "chain", props: { name: "other", slacks: [{}] } }),
        ]);
        expect(Object.fromEntries(found)).toEqual({
            ops: { slack: true, email: true },
            mail: { slack: false, email: true },
            bare: { slack: false, email: false },
        });
    });
});

describe("routeContactPoints", () => {
    const route = (matcher: Record<string, unknown>, labels: Record<string, string>) =>
        routeContactPoints({ contactPoint: "default", policies: [{ matchers: [matcher], contactPoint: "matched" }] }, labels);
    it("matches = against a missing label as the empty value", () => {
        expect(route({ label: "team", match: "=", value: "" }, {})).toEqual(["matched"]);
        expect(route({ label: "team", match: "=", value: "" }, { team: "cline" })).toEqual(["default"]);
    });
    it("matches != on a different value only, and a matcher without label or value as the empty label and value", () => {
        expect(route({ label: "team", match: "!=", value: "cline" }, { team: "kilo" })).toEqual(["matched"]);
        expect(route({ label: "team", match: "!=", value: "cline" }, { team: "cline" })).toEqual(["default"]);
        expect(route({ match: "=" }, { team: "cline" })).toEqual(["matched"]);
        expect(route({ match: "=", value: "cline" }, { team: "cline" })).toEqual(["default"]);
        expect(route({ match: "=", label: "team" }, { team: "cline" })).toEqual(["default"]);
    });
    it("matches =~ as an anchored regex, and an unknown operator never", () => {
        expect(route({ label: "team", match: "=~", value: "cl.*" }, { team: "cline" })).toEqual(["matched"]);
        expect(route({ label: "team", match: "=~", value: "cl" }, { team: "cline" })).toEqual(["default"]);
        expect(route({ label: "team", match: "~", value: "cline" }, { team: "cline" })).toEqual(["default"]);
    });
    it("stops at the first matching child unless it sets continue", () => {
        const tree = (first: Record<string, unknown>) => ({
            contactPoint: "default",
            policies: [{ ...first, contactPoint: "first" }, { contactPoint: "second" }],
        });
        expect(routeContactPoints(tree({}), {})).toEqual(["first"]);
        expect(routeContactPoints(tree({ continue: true }), {})).toEqual(["first", "second"]);
    });
});
