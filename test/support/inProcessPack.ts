import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import {
    type Analyzer,
    type AnalyzerResourceInput,
    analyzeRequest,
    analyzeStackRequest,
    analyzerInfoOf,
    diagnosticsOf,
} from "../../cli/analyzer/analyzerClient.js";
import { type PlanForGates, type PolicyPackOptions, type PolicyPackSession, type Verdict, analyzerSession } from "../../cli/analyzer/evaluate.js";
import { assemblePolicies, gateContextFromConfig } from "../../policy/gates/index.js";
import { policyPackFolder } from "../../cli/analyzer/packFolder.js";

// The policy SDK's own Analyzer handlers, as its `serve` installs them on the pack's gRPC server (internal exports).
const server: {
    makeAnalyzeRpcFun(name: string, version: string, level: string, policies: unknown[]): RpcHandler;
    makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: unknown[]): RpcHandler;
} = require("@pulumi/policy/server");
const protoutil: { makeAnalyzerInfo(name: string, version: string, level: string, args: { policies: unknown[] }): analyzerproto.AnalyzerInfo } =
    require("@pulumi/policy/protoutil");

type RpcHandler = (call: { request: unknown }, callback: (error: Error | null | undefined, response?: analyzerproto.AnalyzeResponse) => void) => unknown;

const packName = "vauntico-handoff-gates";
/** The version `PolicyPack` reads from the pack's package.json. */
const packVersion = String(JSON.parse(readFileSync(path.join(policyPackFolder(), "package.json"), "utf8")).version);
/** `PolicyPack`'s default when a pack sets none (ours sets none; every policy sets its own level). */
const packLevel = "advisory";

function call(handler: RpcHandler, request: { serializeBinary(): Uint8Array }, decode: (bytes: Uint8Array) => unknown): Promise<analyzerproto.AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        // Through bytes both ways, as over gRPC: the handler reads exactly what the pack would receive.
        void handler({ request: decode(request.serializeBinary()) }, (error, response) => {
            if (error) reject(error);
            else if (response === undefined) reject(new Error("no response"));
            else resolve(analyzerproto.AnalyzeResponse.deserializeBinary(response.serializeBinary()));
        });
    });
}

/**
 * The pack's Analyzer service run in this process: the policies assembled from the stack config as
 * `policy/index.ts` assembles them from `PULUMI_CONFIG`, served by the policy SDK's own `Analyze` and
 * `AnalyzeStack` handlers, requests and responses passed as protobuf bytes. What it skips is the pack's
 * process start (≈ 1 s CPU: loading @pulumi/pulumi and @pulumi/policy) and the gRPC transport, so a
 * matrix of configs costs no process each. It is a stand-in: a test that relies on it keeps a witness that
 * the real pack, started as the CLI starts it, gives the same verdicts (see `expectSameAsPack`).
 *
 * `Configure` is not forwarded: the SDK keeps the configured levels in module state (one pack per process),
 * and a session sends each policy's own level, which is what the SDK applies when none is configured.
 */
class InProcessAnalyzer implements Analyzer {
    private readonly policies: unknown[];
    private readonly analyzeHandler: RpcHandler;
    private readonly analyzeStackHandler: RpcHandler;

    constructor(config: Readonly<Record<string, string>>) {
        this.policies = assemblePolicies(gateContextFromConfig(config));
        this.analyzeHandler = server.makeAnalyzeRpcFun(packName, packVersion, packLevel, this.policies);
        this.analyzeStackHandler = server.makeAnalyzeStackRpcFun(packName, packVersion, packLevel, this.policies);
    }

    async getAnalyzerInfo() {
        const info = protoutil.makeAnalyzerInfo(packName, packVersion, packLevel, { policies: this.policies });
        return analyzerInfoOf(analyzerproto.AnalyzerInfo.deserializeBinary(info.serializeBinary()));
    }

    async configure(): Promise<void> {}

    async configureStack(): Promise<void> {}

    async analyze(resource: AnalyzerResourceInput) {
        return diagnosticsOf(await call(this.analyzeHandler, analyzeRequest(resource), (b) => analyzerproto.AnalyzeRequest.deserializeBinary(b)));
    }

    async analyzeStack(resources: readonly AnalyzerResourceInput[]) {
        return diagnosticsOf(
            await call(this.analyzeStackHandler, analyzeStackRequest(resources), (b) => analyzerproto.AnalyzeStackRequest.deserializeBinary(b)),
        );
    }

    close(): void {}
}

/** A session like `openPolicyPack`'s, served in this process (see `InProcessAnalyzer`); the handoff clock is read now. */
export function openInProcessPack(options: PolicyPackOptions): Promise<PolicyPackSession> {
    return analyzerSession(new InProcessAnalyzer(options.config), options, [], async () => {});
}

/** `evaluatePlan`, served in this process. */
export async function evaluateInProcess(plan: PlanForGates, config: Readonly<Record<string, string>> = plan.config): Promise<Verdict[]> {
    const session = await openInProcessPack({ project: plan.project, stack: plan.stack, config, ...(plan.secretKeys ? { secretKeys: plan.secretKeys } : {}) });
    return session.evaluate(plan.resources);
}
