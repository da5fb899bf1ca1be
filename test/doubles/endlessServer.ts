import { createServer } from "node:http";

/**
 * An HTTP server on 127.0.0.1 that answers every request with a status and a body that never ends (or
 * `bodyBytes` bytes), written as fast as the client reads. It counts what it wrote and the connections the
 * client closed, so a test can see a reader stop.
 */
export interface EndlessServer {
    url: string;
    /** Bytes of body written so far, over all requests. */
    written(): number;
    /** Connections closed before their body ended (by the client). */
    closedEarly(): number;
    /** Requests answered. */
    requests(): number;
    stop(): Promise<void>;
}

export async function startEndlessServer(options: { status?: number; contentType?: string; bodyBytes?: number } = {}): Promise<EndlessServer> {
    let written = 0;
    let closedEarly = 0;
    let requests = 0;
    const chunk = Buffer.alloc(64 * 1024, "x");
    const server = createServer((request, response) => {
        requests++;
        request.resume();
        response.writeHead(options.status ?? 200, { "content-type": options.contentType ?? "application/json" });
        let remaining = options.bodyBytes ?? Number.POSITIVE_INFINITY;
        let finished = false;
        response.on("close", () => {
            if (!finished) closedEarly++;
        });
        const pump = (): void => {
            while (remaining > 0) {
                const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
                remaining -= piece.length;
                written += piece.length;
                if (!response.write(piece)) {
                    response.once("drain", pump);
                    return;
                }
            }
            finished = true;
            response.end();
        };
        pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("endless server: no TCP address");
    const { port } = address;
    return {
        url: `http://127.0.0.1:${port}`,
        written: () => written,
        closedEarly: () => closedEarly,
        requests: () => requests,
        stop: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
