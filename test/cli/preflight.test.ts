import { describe, expect, it } from "vitest";
import { captureOutput } from "../support/capturedOutput.js";
import { exitCodes } from "../../cli/exitCodes.js";
import { main } from "../../cli/preflight.js";
import { runInProcess } from "../support/commandInProcess.js";
import { projectDir } from "../support/stackFiles.js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { evaluateInProcess } from "../support/inProcessPack.js";

const output = captureOutput();

interface PreflightJson {
    stack: string;
    phase: number;
    resources: { type: string; name: string; parent: string | null; urn: string }[];
    outputs: { name: string; secret: boolean }[];
}

function isPreflightJson(value: unknown): value is PreflightJson {
    return typeof value === "object" && value !== null && "stack" in value && "phase" in value && "resources" in value && Array.isArray(value.resources);
}

/** A copy of the project's stack files in a temp folder, with the prod stack file edited. */
function projectWith(edit: (stackFile: string) => string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"));
    fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), edit(fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8")));
    return dir;
}

describe("preflight --json on the prod stack", () => {
    it("lists every resource pulumi up would register, with its parent", async () => {
        process.chdir(projectDir);
        // The resources are the subject: judged in-process (preflight.gates.test.ts runs this with the pack).
        expect(await main(["--json"], (plan) => evaluateInProcess(plan))).toBe(0);
        const report: unknown = JSON.parse(output.stdout);
        if (!isPreflightJson(report)) throw new Error(`unexpected JSON: ${output.stdout.slice(0, 200)}`);
        expect(report.stack).toBe("prod");
        expect(report.phase).toBe(1);
        const byName = new Map(report.resources.map((r) => [r.name, r]));
        const parentName = (name: string) => report.resources.find((r) => r.urn === byName.get(name)?.parent)?.name ?? null;
        expect(parentName("deployment-secrets-jwt_secret")).toBe("deployment-secrets");
        expect(parentName("production-secret-jwt_secret")).toBe("production");
        expect(parentName("merge-protection-main")).toBe("merge-protection");
        expect(byName.get("production-environment")?.type).toBe("github:index/repositoryEnvironment:RepositoryEnvironment");
        const secretsDelivered = report.resources.filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").map((r) => r.name);
        for (const name of ["jwt_secret", "session_secret", "encryption_key", "webhook_route_token"])
            expect(secretsDelivered).toContain(`production-secret-${name}`);
        // The only secret stack output is the webhook signing secret `validate webhooks` reads; it stays secret.
        expect(report.outputs.filter((o) => o.secret).map((o) => o.name)).toEqual(["stripeWebhookSigningSecret"]);
    });

    // Run as its process runs it: this is also the exit-code map's "0 when the gates pass" (test/cli/dispatch.test.ts).
    it("prints the plan for a person, with the secret properties named, and exits 0", async () => {
        const run = await runInProcess("preflight", [], { cwd: projectDir });
        expect(run.code, run.stderr).toBe(exitCodes.passed);
        expect(run.stdout).toContain("Preflight of stack prod");
        expect(run.stdout).toMatch(/deployment-secrets-jwt_secret: outputs\.base64, outputs\.hex/);
        expect(run.stdout).toMatch(/production-secret-jwt_secret: inputs\.plaintextValue, outputs\.plaintextValue/);
    });
});

describe("preflight on a bad config", () => {
    // A config error's exit code (2), empty stdout and every problem named: the exit-code map (test/cli/dispatch.test.ts).
    it("rejects a plaintext credential in the stack file", async () => {
        process.chdir(projectWith((text) => text.replace("vauntico:phase: 1", "vauntico:phase: 1\n  github:token: ghp_plaintexttoken")));
        expect(await main([], (plan) => evaluateInProcess(plan))).not.toBe(0);
        expect(output.stderr).toContain("github:token: a credential must be a Pulumi secret");
        expect(output.stderr).not.toContain("ghp_plaintexttoken");
    });

    it("names an unknown stack", async () => {
        process.chdir(projectDir);
        await expect(main(["--stack", "nosuch"])).rejects.toThrow(/Pulumi\.nosuch\.yaml/);
    });
});
