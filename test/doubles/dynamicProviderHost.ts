import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provider from "@pulumi/pulumi/proto/provider_pb";
import type * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

/**
 * Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), started as the engine starts
 * it and spoken to over the ResourceProvider gRPC service, with the engine's conventions: the serialized
 * provider travels as `__provider` in `news` (Check, Diff, Update) or `properties` (Create, Read, Delete),
 * and since the host does not accept secrets (its Configure says so) every value arrives unwrapped.
 */

export type Properties = Record<string, unknown>;

const hostModule = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
const startTimeoutMs = 20_000;
/** Every call answers within this, or fails the test that made it (a provider method that never returns). */
const rpcTimeoutMs = 30_000;
/** How long a stopped host may take to exit before it is killed. */
const stopGraceMs = 3_000;

function withinDeadline(): grpc.CallOptions {
    return { deadline: Date.now() + rpcTimeoutMs };
}

function toStructValue(value: unknown): structproto.JavaScriptValue {
    if (value === null || value === undefined) return null;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (Array.isArray(value)) return value.map(toStructValue);
    if (typeof value === "object") return toStruct(Object.fromEntries(Object.entries(value)));
    return String(value);
}

function toStruct(record: Properties): { [key: string]: structproto.JavaScriptValue } {
    const result: { [key: string]: structproto.JavaScriptValue } = {};
    for (const [key, value] of Object.entries(record)) {
        if (value !== undefined) result[key] = toStructValue(value);
    }
    return result;
}

function struct(record: Properties): structproto.Struct {
    return structproto.Struct.fromJavaScript(toStruct(record));
}

type Callback<Response> = (error: grpc.ServiceError | null, response: Response) => void;

function unary<Response>(call: (callback: Callback<Response>) => grpc.ClientUnaryCall): Promise<Response> {
    return new Promise((resolve, reject) => {
        call((error, response) => (error ? reject(error) : resolve(response)));
    });
}

export interface CheckOutcome {
    inputs: Properties;
    failures: { property: string; reason: string }[];
}

export interface DiffOutcome {
    changes: "none" | "some" | "unknown";
    replaces: string[];
    deleteBeforeReplace: boolean;
}

export class DynamicProviderHost {
    /** Everything the host wrote to stderr (what the engine would show as the provider's log). */
    stderr = "";

    private constructor(
        private readonly child: ChildProcessWithoutNullStreams,
        private readonly client: ResourceProviderClient,
        readonly type: string,
    ) {
        child.stderr.on("data", (chunk: Buffer) => {
            this.stderr += chunk.toString("utf8");
        });
    }

    /** Starts the host with `cwd` as its working folder (the provider's `require`s resolve from there). */
    static async start(cwd: string, type = "pulumi-nodejs:dynamic:Resource"): Promise<DynamicProviderHost> {
        const child = spawn(process.execPath, [hostModule, "127.0.0.1:1"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
        let early = "";
        child.stderr.on("data", (chunk: Buffer) => {
            early += chunk.toString("utf8");
        });
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(new Error(`dynamic-provider host printed no port within ${startTimeoutMs} ms: ${early}`));
            }, startTimeoutMs);
            child.once("exit", (code) => reject(new Error(`dynamic-provider host exited (${code}): ${early}`)));
            createInterface({ input: child.stdout }).once("line", (line) => {
                clearTimeout(timer);
                resolve(Number(line.trim()));
            });
        });
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new DynamicProviderHost(child, client, type);
        host.stderr = early;
        const configure = new provider.ConfigureRequest();
        configure.setArgs(struct({}));
        configure.setAcceptsecrets(true);
        configure.setAcceptresources(true);
        try {
            await unary<provider.ConfigureResponse>((callback) => client.configure(configure, new grpc.Metadata(), withinDeadline(), callback));
        } catch (error) {
            await host.stop();
            throw error;
        }
        return host;
    }

    /** Waits (bounded) until the host's stderr matches: its writes arrive apart from the gRPC answers. */
    async waitForStderr(pattern: RegExp, timeoutMs = 5000): Promise<boolean> {
        const deadline = Date.now() + timeoutMs;
        while (!pattern.test(this.stderr)) {
            if (Date.now() > deadline) return false;
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return true;
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
            const force = setTimeout(() => this.child.kill("SIGKILL"), stopGraceMs);
            this.child.kill("SIGTERM");
            await exited;
            clearTimeout(force);
        }
    }

    async check(urn: string, olds: Properties, news: Properties): Promise<CheckOutcome> {
        const request = new provider.CheckRequest();
        request.setUrn(urn);
        request.setType(this.type);
        request.setOlds(struct(olds));
        request.setNews(struct(news));
        const response = await unary<provider.CheckResponse>((callback) => this.client.check(request, new grpc.Metadata(), withinDeadline(), callback));
        return {
            inputs: response.getInputs()?.toJavaScript() ?? {},
            failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(id: string, urn: string, olds: Properties, news: Properties): Promise<DiffOutcome> {
        const request = new provider.DiffRequest();
        request.setId(id);
        request.setUrn(urn);
        request.setType(this.type);
        request.setOlds(struct(olds));
        request.setNews(struct(news));
        const response = await unary<provider.DiffResponse>((callback) => this.client.diff(request, new grpc.Metadata(), withinDeadline(), callback));
        const kinds = provider.DiffResponse.DiffChanges;
        const changes = response.getChanges();
        return {
            changes: changes === kinds.DIFF_NONE ? "none" : changes === kinds.DIFF_SOME ? "some" : "unknown",
            replaces: response.getReplacesList(),
            deleteBeforeReplace: response.getDeletebeforereplace(),
        };
    }

    async create(urn: string, properties: Properties): Promise<{ id: string; properties: Properties }> {
        const request = new provider.CreateRequest();
        request.setUrn(urn);
        request.setType(this.type);
        request.setProperties(struct(properties));
        const response = await unary<provider.CreateResponse>((callback) => this.client.create(request, new grpc.Metadata(), withinDeadline(), callback));
        return { id: response.getId(), properties: response.getProperties()?.toJavaScript() ?? {} };
    }

    async read(id: string, urn: string, properties: Properties, inputs: Properties): Promise<{ id: string; properties: Properties }> {
        const request = new provider.ReadRequest();
        request.setId(id);
        request.setUrn(urn);
        request.setType(this.type);
        request.setProperties(struct(properties));
        request.setInputs(struct(inputs));
        const response = await unary<provider.ReadResponse>((callback) => this.client.read(request, new grpc.Metadata(), withinDeadline(), callback));
        return { id: response.getId(), properties: response.getProperties()?.toJavaScript() ?? {} };
    }

    async update(id: string, urn: string, olds: Properties, news: Properties): Promise<Properties> {
        const request = new provider.UpdateRequest();
        request.setId(id);
        request.setUrn(urn);
        request.setType(this.type);
        request.setOlds(struct(olds));
        request.setNews(struct(news));
        const response = await unary<provider.UpdateResponse>((callback) => this.client.update(request, new grpc.Metadata(), withinDeadline(), callback));
        return response.getProperties()?.toJavaScript() ?? {};
    }

    async delete(id: string, urn: string, properties: Properties): Promise<void> {
        const request = new provider.DeleteRequest();
        request.setId(id);
        request.setUrn(urn);
        request.setType(this.type);
        request.setProperties(struct(properties));
        await unary<emptyproto.Empty>((callback) => this.client.delete(request, new grpc.Metadata(), withinDeadline(), callback));
    }
}
