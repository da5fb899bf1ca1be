import { describe, expect, it } from "vitest";
import { runPlan } from "../../../cli/plan/index.js";
import { planMocks } from "../../../cli/plan/fakeOutputs.js";
import { secretsReport } from "../../../cli/reports/secrets.js";
import { prodStackFile, prodWith } from "../../support/stackFiles.js";
import type * as pulumi from "@pulumi/pulumi";

/** The plan's mocks, recording every generated value so the test can look for them. */
function recordingMocks(generated: string[]): pulumi.runtime.Mocks {
    const base = planMocks();
    return {
        call: (args) => base.call(args),
        async newResource(args) {
            const result = await base.newResource(args);
            for (const key of ["base64", "hex"]) {
                const value = result.state[key];
                if (typeof value === "string") generated.push(value);
            }
            return result;
        },
    };
}

describe("report secrets", () => {
    it("names every secret with its entropy, encoding, rotation, target and OpenSSL command, and no value", async () => {
        const generated: string[] = [];
        const plan = await runPlan({ stack: "prod", stackFile: prodStackFile(), mocks: recordingMocks(generated), serializeDynamicProviders: false });
        const report = secretsReport(plan);
        expect(generated.length).toBe(8);
        for (const value of generated) expect(report).not.toContain(value);
        expect(report).toMatch(/^# SECRETS_GENERATION_REPORT/);
        expect(report).toContain("| JWT_SECRET | 512 | base64 | 1 | vauntico/vauntico-mvp · environment `production` | `openssl rand -base64 64` |");
        expect(report).toContain("| SESSION_SECRET | 256 | hex | 1 |");
        for (const name of ["ENCRYPTION_KEY", "WEBHOOK_ROUTE_TOKEN"]) expect(report).toContain(`| ${name} |`);
        expect(report).toContain("- Delivered exactly once: yes");
        for (const placeholder of ["preflight-placeholder", "sk_test_preflightplaceholder"]) expect(report).not.toContain(placeholder);
    });

    it("shows a rotation epoch change and is byte-identical for the same input", async () => {
        const file = prodWith({ "vauntico:secrets": [{ name: "JWT_SECRET", bytes: 64, encoding: "base64", rotation: 7 }] });
        const first = secretsReport(await runPlan({ stack: "prod", stackFile: file, serializeDynamicProviders: false }));
        const second = secretsReport(await runPlan({ stack: "prod", stackFile: file, serializeDynamicProviders: false }));
        expect(first).toBe(second);
        expect(first).toContain("| JWT_SECRET | 512 | base64 | 7 |");
    });
});
