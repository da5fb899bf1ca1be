import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import type { GateReportInput, Verdict } from "../../cli/analyzer/index.js";
import { gateById, violationMessage } from "../../policy/gates/index.js";
import { protocol } from "../../policy/protocol/index.js";

/** The protocol reports' shared input: two mandatory phase-1 findings and one advisory phase-3 one. */
export const secretUrn = "urn:pulumi:prod::vauntico-deploy::vauntico:secrets:DeploymentSecrets$random:index/randomBytes:RandomBytes::deployment-secrets-jwt_secret";
export const verdicts: Verdict[] = [
    {
        policy: "p1-secret-strength", phase: 1, enforcement: "mandatory", urn: secretUrn,
        message: violationMessage(gateById("p1-secret-strength"), "secret JWT_SECRET is 16 bytes (128 bits), below 256 bits", 'set its "bytes" in vauntico:secrets to at least 32'),
    },
    {
        policy: "p1-secrets-delivered", phase: 1, enforcement: "mandatory", urn: null,
        message: violationMessage(gateById("p1-secrets-delivered"), "no generated secrets to deliver", "declare the deployment's secrets"),
    },
    {
        policy: "p3-payments-dashboard", phase: 3, enforcement: "advisory", urn: null,
        message: violationMessage(gateById("p3-payments-dashboard"), "no Payments dashboard (Grafana uid vauntico-payments) in the stack", "add the dashboard"),
    },
];
export const input: GateReportInput = {
    protocol,
    plan: { stack: "prod", project: "vauntico-deploy", phase: 1, resources: [{ urn: secretUrn, type: "random:index/randomBytes:RandomBytes", name: "deployment-secrets-jwt_secret" }] },
    verdicts,
};
export const clean: GateReportInput = { ...input, verdicts: [verdicts[2]].filter((v): v is Verdict => v !== undefined) };

/** Compares a report with its golden file under test/cli/reports/golden (UPDATE_GOLDEN=1 rewrites it). */
export function golden(name: string, text: string): void {
    const file = path.join(__dirname, "../cli/reports/golden", name);
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, "utf8"));
}
