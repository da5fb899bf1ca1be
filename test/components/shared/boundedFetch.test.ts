import { afterEach, describe, expect, it } from "vitest";
import { BodyTooLargeError, boundedFetch } from "../../../components/shared/boundedFetch.js";
import { startEndlessServer, type EndlessServer } from "../../doubles/endlessServer.js";

let server: EndlessServer | undefined;
afterEach(async () => {
    await server?.stop();
    server = undefined;
});

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error("condition not met in time");
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

describe("boundedFetch", () => {
    it("reads a body of exactly the limit whole", async () => {
        server = await startEndlessServer({ bodyBytes: 1000 });
        const body = await (await boundedFetch(1000)(server.url)).arrayBuffer();
        expect(body.byteLength).toBe(1000);
    });

    it("refuses a body one byte over the limit", async () => {
        server = await startEndlessServer({ bodyBytes: 1001 });
        await expect((await boundedFetch(1000)(server.url)).arrayBuffer()).rejects.toBeInstanceOf(BodyTooLargeError);
    });

    it("stops an endless body: memory stays bounded, the connection is closed, the server stops writing", async () => {
        server = await startEndlessServer();
        const limit = 1024 * 1024;
        const before = process.memoryUsage().rss;
        const response = await boundedFetch(limit)(server.url, { signal: AbortSignal.timeout(10_000) });
        expect(response.status).toBe(200);
        const read = response.arrayBuffer();
        await expect(read).rejects.toThrow(/larger than 1048576 bytes; stopped reading it and closed the connection/);
        const endless = server;
        await until(() => endless.closedEarly() === 1);
        const writtenAtClose = endless.written();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(endless.written()).toBe(writtenAtClose);
        // What crossed the socket: the limit plus what the kernel and stream buffers held, not gigabytes.
        expect(writtenAtClose).toBeLessThan(limit + 16 * 1024 * 1024);
        expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    });

    it("keeps the caller's abort signal working", async () => {
        server = await startEndlessServer();
        const controller = new AbortController();
        const response = await boundedFetch(1024 * 1024 * 1024)(server.url, { signal: controller.signal });
        const read = response.arrayBuffer();
        controller.abort(new Error("caller gave up"));
        await expect(read).rejects.toThrow();
    });
});
