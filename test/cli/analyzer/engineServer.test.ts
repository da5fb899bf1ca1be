import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import { describe, expect, it } from "vitest";
import { startLocalEngine } from "../../../cli/analyzer/engineServer.js";

function unary<Res>(call: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
        call((error, response) => (error ? reject(error) : resolve(response)));
    });
}

describe("startLocalEngine", () => {
    it("listens on loopback, keeps what the pack logs and its root resource, and stops listening when stopped", async () => {
        const engine = await startLocalEngine();
        expect(engine.address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
        const client = new enginerpc.EngineClient(engine.address, grpc.credentials.createInsecure());
        try {
            await unary((cb) =>
                client.log(new engineproto.LogRequest().setSeverity(engineproto.LogSeverity.WARNING).setMessage("careful").setUrn("urn:a"), cb),
            );
            expect(engine.logs).toEqual([{ severity: engineproto.LogSeverity.WARNING, message: "careful", urn: "urn:a" }]);
            expect(
                (await unary<engineproto.GetRootResourceResponse>((cb) => client.getRootResource(new engineproto.GetRootResourceRequest(), cb))).getUrn(),
            ).toBe("");
            await unary((cb) => client.setRootResource(new engineproto.SetRootResourceRequest().setUrn("urn:root"), cb));
            expect(
                (await unary<engineproto.GetRootResourceResponse>((cb) => client.getRootResource(new engineproto.GetRootResourceRequest(), cb))).getUrn(),
            ).toBe("urn:root");
        } finally {
            client.close();
        }
        await engine.stop();
        const late = new enginerpc.EngineClient(engine.address, grpc.credentials.createInsecure());
        try {
            await expect(
                unary((cb) => late.log(new engineproto.LogRequest().setMessage("after"), new grpc.Metadata(), { deadline: Date.now() + 1_000 }, cb)),
            ).rejects.toThrow();
        } finally {
            late.close();
        }
        expect(engine.logs).toHaveLength(1);
    });
});
