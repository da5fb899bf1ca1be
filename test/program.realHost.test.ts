import { spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as resourcerpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceproto from "@pulumi/pulumi/proto/resource_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { startLocalEngine } from "../cli/analyzer/engineServer.js";
import { parseStackConfig, StackConfigError } from "../stacks/config.js";
import { prodStackFile, prodWith, projectDir } from "./support/stackFiles.js";

function problemsOf(config: Record<string, string>, secretKeys: string[]): string {
    try {
        parseStackConfig(config, new Set(secretKeys));
    } catch (error) {
        if (error instanceof StackConfigError) return error.message;
        throw error;
    }
    throw new Error("expected a config error");
}

/** A resource monitor that accepts the root stack and counts every other registration. */
async function startMonitor(): Promise<{ address: string; registered: string[]; stop(): Promise<void> }> {
    const server = new grpc.Server();
    const registered: string[] = [];
    server.addService(resourcerpc.ResourceMonitorService, {
        supportsFeature: (_call: grpc.ServerUnaryCall<resourceproto.SupportsFeatureRequest, resourceproto.SupportsFeatureResponse>, callback: grpc.sendUnaryData<resourceproto.SupportsFeatureResponse>) => {
            callback(null, new resourceproto.SupportsFeatureResponse().setHassupport(false));
        },
        registerResource: (call: grpc.ServerUnaryCall<resourceproto.RegisterResourceRequest, resourceproto.RegisterResourceResponse>, callback: grpc.sendUnaryData<resourceproto.RegisterResourceResponse>) => {
            const type = call.request.getType();
            registered.push(type);
            const response = new resourceproto.RegisterResourceResponse().setUrn(`urn:pulumi:prod::vauntico-deploy::${type}::${call.request.getName()}`).setObject(new structproto.Struct());
            callback(null, response);
        },
        registerResourceOutputs: (_call: grpc.ServerUnaryCall<resourceproto.RegisterResourceOutputsRequest, emptyproto.Empty>, callback: grpc.sendUnaryData<emptyproto.Empty>) => callback(null, new emptyproto.Empty()),
    });
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
    return { address: `127.0.0.1:${port}`, registered, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

/**
 * The compiled program run the way the Node.js language host runs it (`@pulumi/pulumi/cmd/run` with the
 * monitor and engine addresses, the project folder as program, the config in PULUMI_CONFIG): a bad config
 * must reach the engine as one clean error — the problems list preflight prints — and nothing else.
 */
/** Runs the compiled program under the language host's runner with `config`; returns the engine's error logs and all output. */
async function runProgram(config: Record<string, string>, secretKeys: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; errors: string[]; everything: string; registered: string[] }> {
    const [engine, monitor] = await Promise.all([startLocalEngine(), startMonitor()]);
    try {
        const runner = require.resolve("@pulumi/pulumi/cmd/run");
        const child = spawn(process.execPath, [runner, "--monitor", monitor.address, "--engine", engine.address, "--project", "vauntico-deploy", "--stack", "prod", "--dry-run", "--pwd", projectDir, "."], {
            cwd: projectDir,
            env: { ...process.env, GITHUB_TOKEN: "", ...env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => { output += chunk; });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => { output += chunk; });
        const code = await new Promise<number | null>((resolve) => {
            const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
            child.once("close", (exit) => {
                clearTimeout(timer);
                resolve(exit);
            });
        });
        const errors = engine.logs.filter((entry) => entry.severity === 3).map((entry) => entry.message);
        return { code, errors, everything: `${output}\n${engine.logs.map((entry) => entry.message).join("\n")}`, registered: [...monitor.registered] };
    } finally {
        await Promise.all([engine.stop(), monitor.stop()]);
    }
}

describe("a config error under the real language host's program runner", () => {
    it("is logged as exactly the problems list, with no 'unhandled exception' and no stack trace, and registers nothing but the stack", async () => {
        const file = prodWith({ "vauntico:phase": 7, "vauntico:stripeSecretkey": "sk_live_CANARYrealhost0000000" });
        const run = await runProgram(file.config, file.secretKeys);
        expect(run.code).not.toBe(0);
        expect(run.errors).toEqual([problemsOf(file.config, file.secretKeys)]);
        expect(run.errors[0]).toMatch(/^Invalid stack configuration/);
        expect(run.everything).not.toContain("unhandled exception");
        expect(run.everything).not.toMatch(/^\s+at /m);
        expect(run.everything).not.toContain("CANARY");
        expect(run.registered).toEqual(["pulumi:pulumi:Stack"]);
    }, 90_000);

    it("the committed stack file with no credential set: each needed credential named with its command; GITHUB_TOKEN stands in for github:token", async () => {
        const committed = prodStackFile();
        const standIns = new Set(committed.standIns ?? []);
        const config = Object.fromEntries(Object.entries(committed.config).filter(([key]) => !standIns.has(key)));
        const secretKeys = committed.secretKeys.filter((key) => !standIns.has(key));
        const [bare, withToken] = await Promise.all([runProgram(config, secretKeys), runProgram(config, secretKeys, { GITHUB_TOKEN: "ghp_fromTheEnvironment" })]);
        expect(bare.errors).toHaveLength(1);
        for (const key of standIns) expect(bare.errors[0]).toMatch(new RegExp(`  - ${key}: missing; needed by .*: set it with \`pulumi config set --secret ${key} `));
        expect(bare.errors[0]).toContain("(or export GITHUB_TOKEN)");
        expect(withToken.errors[0]).not.toContain("github:token");
        expect(withToken.errors[0]).toContain("vauntico:stripeSecretKey: missing");
        for (const run of [bare, withToken]) {
            expect(run.everything).not.toContain("unhandled exception");
            expect(run.registered).toEqual(["pulumi:pulumi:Stack"]);
        }
    }, 120_000);
});
