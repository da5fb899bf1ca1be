import { describe, expect, it } from "vitest";
import { authorizationHeader } from "../../../cli/validate/grafanaApi.js";
import { evidenceFileName } from "../../../cli/validate/evidence.js";

describe("Grafana credentials", () => {
    it("sends user:password as basic auth and anything else as a bearer token", () => {
        expect(authorizationHeader("admin:s3cret")).toBe(`Basic ${Buffer.from("admin:s3cret").toString("base64")}`);
        expect(authorizationHeader("glsa_abc")).toBe("Bearer glsa_abc");
    });
});

describe("evidence file names", () => {
    it("carry the kind and the UTC time, portable (no colons)", () => {
        expect(evidenceFileName("monitoring", new Date("2026-12-02T07:30:00.999Z"))).toBe("validate-monitoring-2026-12-02T07-30-00Z.md");
    });
});
