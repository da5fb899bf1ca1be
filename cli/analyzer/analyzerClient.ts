import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";

export type Enforcement = "mandatory" | "advisory";

/** A diagnostic as the pack returns it. */
export interface Diagnostic {
    policy: string;
    description: string;
    message: string;
    enforcement: Enforcement | "disabled";
    urn: string;
}

export interface AnalyzerPolicy {
    name: string;
    description: string;
    enforcement: Enforcement | "disabled";
    kind: "resource" | "stack" | "unknown";
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    policies: AnalyzerPolicy[];
}

function enforcementOf(level: analyzerproto.EnforcementLevel): Enforcement | "disabled" {
    switch (level) {
        case analyzerproto.EnforcementLevel.MANDATORY:
        case analyzerproto.EnforcementLevel.REMEDIATE:
            return "mandatory";
        case analyzerproto.EnforcementLevel.DISABLED:
            return "disabled";
        default:
            return "advisory";
    }
}

function levelOf(enforcement: Enforcement | "disabled"): analyzerproto.EnforcementLevel {
    if (enforcement === "mandatory") return analyzerproto.EnforcementLevel.MANDATORY;
    if (enforcement === "disabled") return analyzerproto.EnforcementLevel.DISABLED;
    return analyzerproto.EnforcementLevel.ADVISORY;
}

/** Every call is answered within this or fails, naming the call: a pack that stops answering never hangs a run. */
const callTimeoutMs = 120_000;

function withinDeadline(): grpc.CallOptions {
    return { deadline: Date.now() + callTimeoutMs };
}

function unary<Req, Res>(call: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        call(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

/** The input of one `Analyze` or one entry of `AnalyzeStack`. */
export interface AnalyzerResourceInput {
    type: string;
    name: string;
    urn: string;
    parent: string | null;
    properties: structproto.Struct;
}

function resourceOptions(parent: string | null): analyzerproto.AnalyzerResourceOptions {
    // Without options the pack answers "A more recent version of the Pulumi CLI is required".
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(false);
    if (parent !== null) options.setParent(parent);
    return options;
}

export function diagnosticsOf(response: analyzerproto.AnalyzeResponse): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcement: enforcementOf(d.getEnforcementlevel()),
        urn: d.getUrn(),
    }));
}

export function analyzerInfoOf(info: analyzerproto.AnalyzerInfo): AnalyzerInfo {
    return {
        name: info.getName(),
        version: info.getVersion(),
        policies: info.getPoliciesList().map((p) => ({
            name: p.getName(),
            description: p.getDescription(),
            enforcement: enforcementOf(p.getEnforcementlevel()),
            kind:
                p.getPolicyType() === analyzerproto.PolicyType.POLICY_TYPE_RESOURCE
                    ? "resource"
                    : p.getPolicyType() === analyzerproto.PolicyType.POLICY_TYPE_STACK
                      ? "stack"
                      : "unknown",
        })),
    };
}

/** The `Analyze` request the engine sends for one resource. */
export function analyzeRequest(resource: AnalyzerResourceInput): analyzerproto.AnalyzeRequest {
    const request = new analyzerproto.AnalyzeRequest();
    request.setType(resource.type).setName(resource.name).setUrn(resource.urn).setProperties(resource.properties).setOptions(resourceOptions(resource.parent));
    return request;
}

/** The `AnalyzeStack` request the engine sends for a stack's resources. */
export function analyzeStackRequest(resources: readonly AnalyzerResourceInput[]): analyzerproto.AnalyzeStackRequest {
    const request = new analyzerproto.AnalyzeStackRequest();
    request.setResourcesList(
        resources.map((resource) => {
            const entry = new analyzerproto.AnalyzerResource();
            entry
                .setType(resource.type)
                .setName(resource.name)
                .setUrn(resource.urn)
                .setProperties(resource.properties)
                .setOptions(resourceOptions(resource.parent));
            if (resource.parent !== null) entry.setParent(resource.parent);
            return entry;
        }),
    );
    return request;
}

/** What a session needs of a pack's Analyzer service: the gRPC client below, or a test's in-process stand-in. */
export interface Analyzer {
    getAnalyzerInfo(): Promise<AnalyzerInfo>;
    configure(levels: Readonly<Record<string, Enforcement | "disabled">>): Promise<void>;
    configureStack(stack: StackIdentity): Promise<void>;
    analyze(resource: AnalyzerResourceInput): Promise<Diagnostic[]>;
    analyzeStack(resources: readonly AnalyzerResourceInput[]): Promise<Diagnostic[]>;
    close(): void;
}

export interface StackIdentity {
    organization: string;
    project: string;
    stack: string;
    dryRun: boolean;
    config: Readonly<Record<string, string>>;
}

/** A typed client of the Analyzer service a policy pack serves. */
export class PolicyAnalyzerClient implements Analyzer {
    private readonly client: analyzerrpc.AnalyzerClient;

    constructor(port: number) {
        this.client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
    }

    waitForReady(timeoutMs: number): Promise<void> {
        return new Promise((resolve, reject) => {
            this.client.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve()));
        });
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info = await unary<emptyproto.Empty, analyzerproto.AnalyzerInfo>(
            (r, cb) => this.client.getAnalyzerInfo(r, new grpc.Metadata(), withinDeadline(), cb),
            new emptyproto.Empty(),
        );
        return analyzerInfoOf(info);
    }

    /** Sends each policy's enforcement level, as the CLI does after reconciling the pack's defaults with any policy config. */
    async configure(levels: Readonly<Record<string, Enforcement | "disabled">>): Promise<void> {
        const request = new analyzerproto.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [policy, enforcement] of Object.entries(levels)) {
            const config = new analyzerproto.PolicyConfig();
            config.setEnforcementlevel(levelOf(enforcement));
            config.setProperties(structproto.Struct.fromJavaScript({}));
            map.set(policy, config);
        }
        await unary<analyzerproto.ConfigureAnalyzerRequest, emptyproto.Empty>(
            (r, cb) => this.client.configure(r, new grpc.Metadata(), withinDeadline(), cb),
            request,
        );
    }

    async configureStack(stack: StackIdentity): Promise<void> {
        const request = new analyzerproto.AnalyzerStackConfigureRequest();
        request.setOrganization(stack.organization).setProject(stack.project).setStack(stack.stack).setDryRun(stack.dryRun);
        const config = request.getConfigMap();
        for (const [key, value] of Object.entries(stack.config)) config.set(key, value);
        await unary<analyzerproto.AnalyzerStackConfigureRequest, analyzerproto.AnalyzerStackConfigureResponse>(
            (r, cb) => this.client.configureStack(r, new grpc.Metadata(), withinDeadline(), cb),
            request,
        );
    }

    async analyze(resource: AnalyzerResourceInput): Promise<Diagnostic[]> {
        const request = analyzeRequest(resource);
        return diagnosticsOf(
            await unary<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>(
                (r, cb) => this.client.analyze(r, new grpc.Metadata(), withinDeadline(), cb),
                request,
            ),
        );
    }

    async analyzeStack(resources: readonly AnalyzerResourceInput[]): Promise<Diagnostic[]> {
        const request = analyzeStackRequest(resources);
        return diagnosticsOf(
            await unary<analyzerproto.AnalyzeStackRequest, analyzerproto.AnalyzeResponse>(
                (r, cb) => this.client.analyzeStack(r, new grpc.Metadata(), withinDeadline(), cb),
                request,
            ),
        );
    }

    close(): void {
        this.client.close();
    }
}
