import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";

export interface EngineLogEntry {
    severity: number;
    message: string;
    urn: string;
}

export interface LocalEngine {
    /** `127.0.0.1:<port>`, passed to the pack as its engine address. */
    address: string;
    logs: EngineLogEntry[];
    stop(): Promise<void>;
}

/**
 * A minimal Engine service on loopback, standing in for the CLI's: the Node policy host receives an engine
 * address as its first argument. The pack does not dial it today (run-policy-pack drops the argument), but
 * anything it logs through the engine lands here instead of failing.
 */
export async function startLocalEngine(): Promise<LocalEngine> {
    const server = new grpc.Server();
    const logs: EngineLogEntry[] = [];
    let root = "";
    server.addService(enginerpc.EngineService, {
        log: (call: grpc.ServerUnaryCall<engineproto.LogRequest, emptyproto.Empty>, callback: grpc.sendUnaryData<emptyproto.Empty>) => {
            logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage(), urn: call.request.getUrn() });
            callback(null, new emptyproto.Empty());
        },
        getRootResource: (
            _call: grpc.ServerUnaryCall<engineproto.GetRootResourceRequest, engineproto.GetRootResourceResponse>,
            callback: grpc.sendUnaryData<engineproto.GetRootResourceResponse>,
        ) => {
            callback(null, new engineproto.GetRootResourceResponse().setUrn(root));
        },
        setRootResource: (
            call: grpc.ServerUnaryCall<engineproto.SetRootResourceRequest, engineproto.SetRootResourceResponse>,
            callback: grpc.sendUnaryData<engineproto.SetRootResourceResponse>,
        ) => {
            root = call.request.getUrn();
            callback(null, new engineproto.SetRootResourceResponse());
        },
    });
    const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
    });
    return {
        address: `127.0.0.1:${port}`,
        logs,
        stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
