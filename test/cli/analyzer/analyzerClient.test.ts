import * as grpc from "@grpc/grpc-js";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyAnalyzerClient } from "../../../cli/analyzer/analyzerClient.js";

// The client against a recording Analyzer served over gRPC in this process: what goes on the wire each way.

const { EnforcementLevel, PolicyType } = analyzerproto;
const callTimeoutMs = 120_000;
/** Above gRPC's default 4 MiB receive limit. */
const largeDescription = "d".repeat(5 * 1024 * 1024);

function policyInfo(name: string, level: analyzerproto.EnforcementLevel, type: analyzerproto.PolicyType): analyzerproto.PolicyInfo {
    return new analyzerproto.PolicyInfo().setName(name).setDescription(`${name} description`).setEnforcementlevel(level).setPolicyType(type);
}

function diagnostic(policy: string, level: analyzerproto.EnforcementLevel, urn = ""): analyzerproto.AnalyzeDiagnostic {
    return new analyzerproto.AnalyzeDiagnostic()
        .setPolicyname(policy)
        .setDescription(`${policy} description`)
        .setMessage(`${policy} message`)
        .setEnforcementlevel(level)
        .setUrn(urn);
}

const received = {
    getAnalyzerInfo: [] as emptyproto.Empty[],
    configure: [] as analyzerproto.ConfigureAnalyzerRequest[],
    configureStack: [] as analyzerproto.AnalyzerStackConfigureRequest[],
    analyze: [] as analyzerproto.AnalyzeRequest[],
    analyzeStack: [] as analyzerproto.AnalyzeStackRequest[],
    /** Each call's deadline as the server sees it, less the time it was received. */
    deadlineIn: [] as number[],
};

function record<Req>(into: Req[], call: { request: Req; getDeadline(): grpc.Deadline }): void {
    into.push(call.request);
    const deadline = call.getDeadline();
    received.deadlineIn.push((deadline instanceof Date ? deadline.getTime() : deadline) - Date.now());
}

const server = new grpc.Server();
server.addService(analyzerrpc.AnalyzerService, {
    getAnalyzerInfo: (call: grpc.ServerUnaryCall<emptyproto.Empty, analyzerproto.AnalyzerInfo>, callback: grpc.sendUnaryData<analyzerproto.AnalyzerInfo>) => {
        record(received.getAnalyzerInfo, call);
        const info = new analyzerproto.AnalyzerInfo().setName("pack").setVersion("1.2.3");
        info.setPoliciesList([
            policyInfo("advisory-resource", EnforcementLevel.ADVISORY, PolicyType.POLICY_TYPE_RESOURCE),
            policyInfo("mandatory-stack", EnforcementLevel.MANDATORY, PolicyType.POLICY_TYPE_STACK),
            policyInfo("disabled-unknown", EnforcementLevel.DISABLED, PolicyType.POLICY_TYPE_UNKNOWN),
            policyInfo("remediate", EnforcementLevel.REMEDIATE, PolicyType.POLICY_TYPE_RESOURCE).setDescription(largeDescription),
        ]);
        callback(null, info);
    },
    configure: (call: grpc.ServerUnaryCall<analyzerproto.ConfigureAnalyzerRequest, emptyproto.Empty>, callback: grpc.sendUnaryData<emptyproto.Empty>) => {
        record(received.configure, call);
        callback(null, new emptyproto.Empty());
    },
    configureStack: (
        call: grpc.ServerUnaryCall<analyzerproto.AnalyzerStackConfigureRequest, analyzerproto.AnalyzerStackConfigureResponse>,
        callback: grpc.sendUnaryData<analyzerproto.AnalyzerStackConfigureResponse>,
    ) => {
        record(received.configureStack, call);
        callback(null, new analyzerproto.AnalyzerStackConfigureResponse());
    },
    analyze: (
        call: grpc.ServerUnaryCall<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>,
        callback: grpc.sendUnaryData<analyzerproto.AnalyzeResponse>,
    ) => {
        record(received.analyze, call);
        if (call.request.getName() === "refused") return callback({ code: grpc.status.INVALID_ARGUMENT, details: "refused by the pack" });
        const response = new analyzerproto.AnalyzeResponse();
        response.setDiagnosticsList([diagnostic("advisory", EnforcementLevel.ADVISORY), diagnostic("remediate", EnforcementLevel.REMEDIATE)]);
        callback(null, response);
    },
    analyzeStack: (
        call: grpc.ServerUnaryCall<analyzerproto.AnalyzeStackRequest, analyzerproto.AnalyzeResponse>,
        callback: grpc.sendUnaryData<analyzerproto.AnalyzeResponse>,
    ) => {
        record(received.analyzeStack, call);
        const response = new analyzerproto.AnalyzeResponse();
        response.setDiagnosticsList([diagnostic("mandatory", EnforcementLevel.MANDATORY, "urn:x"), diagnostic("disabled", EnforcementLevel.DISABLED)]);
        callback(null, response);
    },
});

let client: PolicyAnalyzerClient;
let port: number;
beforeAll(async () => {
    port = await new Promise<number>((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
    });
    client = new PolicyAnalyzerClient(port);
    await client.waitForReady(5_000);
});
afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

const properties = (value: Record<string, structproto.JavaScriptValue>): structproto.Struct => structproto.Struct.fromJavaScript(value);

describe("PolicyAnalyzerClient", () => {
    it("GetAnalyzerInfo: each level and policy type read (remediate counts as mandatory), a reply over 4 MiB accepted", async () => {
        // A client of its own: one made in beforeAll would count, for mutation testing, as made by no test.
        const own = new PolicyAnalyzerClient(port);
        const info = await own.getAnalyzerInfo().finally(() => own.close());
        expect({ ...info, policies: info.policies.map((p) => ({ ...p, description: p.description.length })) }).toEqual({
            name: "pack",
            version: "1.2.3",
            policies: [
                { name: "advisory-resource", description: "advisory-resource description".length, enforcement: "advisory", kind: "resource" },
                { name: "mandatory-stack", description: "mandatory-stack description".length, enforcement: "mandatory", kind: "stack" },
                { name: "disabled-unknown", description: "disabled-unknown description".length, enforcement: "disabled", kind: "unknown" },
                { name: "remediate", description: largeDescription.length, enforcement: "mandatory", kind: "resource" },
            ],
        });
    });

    it("Configure: each policy's level, with empty properties", async () => {
        await client.configure({ a: "mandatory", b: "advisory", c: "disabled" });
        const request = received.configure.at(-1);
        const sent: Record<string, { level: analyzerproto.EnforcementLevel; properties: unknown }> = {};
        request?.getPolicyconfigMap().forEach((config, name) => {
            sent[name] = { level: config.getEnforcementlevel(), properties: config.getProperties()?.toJavaScript() };
        });
        expect(sent).toEqual({
            a: { level: EnforcementLevel.MANDATORY, properties: {} },
            b: { level: EnforcementLevel.ADVISORY, properties: {} },
            c: { level: EnforcementLevel.DISABLED, properties: {} },
        });
    });

    it("ConfigureStack: the stack's identity, preview flag and config", async () => {
        await client.configureStack({ organization: "org", project: "proj", stack: "prod", dryRun: true, config: { "ns:a": "1", "ns:b": "2" } });
        const request = received.configureStack.at(-1);
        expect([request?.getOrganization(), request?.getProject(), request?.getStack(), request?.getDryRun()]).toEqual(["org", "proj", "prod", true]);
        expect(request?.getConfigMap().toArray()).toEqual([
            ["ns:a", "1"],
            ["ns:b", "2"],
        ]);
    });

    it("Analyze: the resource with its options (unprotected, its parent); each diagnostic read", async () => {
        const diagnostics = await client.analyze({
            type: "t:i:T",
            name: "child",
            urn: "urn:child",
            parent: "urn:parent",
            properties: properties({ a: "x".repeat(1_000) }),
        });
        const request = received.analyze.at(-1);
        expect([request?.getType(), request?.getName(), request?.getUrn(), request?.getProperties()?.toJavaScript()]).toEqual([
            "t:i:T",
            "child",
            "urn:child",
            { a: "x".repeat(1_000) },
        ]);
        expect([request?.hasOptions(), request?.getOptions()?.getProtect(), request?.getOptions()?.getParent()]).toEqual([true, false, "urn:parent"]);
        expect(diagnostics).toEqual([
            { policy: "advisory", description: "advisory description", message: "advisory message", enforcement: "advisory", urn: "" },
            { policy: "remediate", description: "remediate description", message: "remediate message", enforcement: "mandatory", urn: "" },
        ]);
    });

    it("Analyze: a resource without a parent sends none", async () => {
        await client.analyze({ type: "t:i:T", name: "root", urn: "urn:root", parent: null, properties: properties({}) });
        expect([received.analyze.at(-1)?.hasOptions(), received.analyze.at(-1)?.getOptions()?.getParent()]).toEqual([true, ""]);
    });

    it("AnalyzeStack: every resource with its parent, in its entry and its options", async () => {
        const diagnostics = await client.analyzeStack([
            { type: "t:i:T", name: "root", urn: "urn:root", parent: null, properties: properties({ a: 1 }) },
            { type: "t:i:U", name: "child", urn: "urn:child", parent: "urn:root", properties: properties({ b: true }) },
        ]);
        const entries = received.analyzeStack.at(-1)?.getResourcesList() ?? [];
        expect(
            entries.map((e) => [
                e.getType(),
                e.getName(),
                e.getUrn(),
                e.getParent(),
                e.getProperties()?.toJavaScript(),
                e.getOptions()?.getParent(),
                e.hasOptions(),
            ]),
        ).toEqual([
            ["t:i:T", "root", "urn:root", "", { a: 1 }, "", true],
            ["t:i:U", "child", "urn:child", "urn:root", { b: true }, "urn:root", true],
        ]);
        expect(diagnostics.map((d) => [d.policy, d.enforcement, d.urn])).toEqual([
            ["mandatory", "mandatory", "urn:x"],
            ["disabled", "disabled", ""],
        ]);
    });

    it("an error the pack answers with rejects the call", async () => {
        await expect(client.analyze({ type: "t:i:T", name: "refused", urn: "urn:r", parent: null, properties: properties({}) })).rejects.toThrow(
            "refused by the pack",
        );
    });

    it("every call carries a deadline two minutes out", async () => {
        received.deadlineIn.length = 0;
        const resource = { type: "t:i:T", name: "r", urn: "urn:r", parent: null, properties: properties({}) };
        await client.getAnalyzerInfo();
        await client.configure({ a: "advisory" });
        await client.configureStack({ organization: "o", project: "p", stack: "s", dryRun: true, config: {} });
        await client.analyze(resource);
        await client.analyzeStack([resource]);
        expect(received.deadlineIn).toHaveLength(5);
        for (const remaining of received.deadlineIn) {
            expect(remaining).toBeGreaterThan(callTimeoutMs - 10_000);
            expect(remaining).toBeLessThanOrEqual(callTimeoutMs);
        }
    });
});
