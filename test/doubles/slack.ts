import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A Slack incoming-webhook double on 127.0.0.1: records each message's JSON; answers `ok` as Slack does. */
export interface SlackDouble {
    /** The webhook URL, with a secret-looking path as Slack's have. */
    url: string;
    messages: { text: string }[];
    /** Answers with this status instead of 200, once per queued entry. */
    failNext(status: number): void;
    close(): Promise<void>;
}

export async function startSlackDouble(secretPath = "/services/T0VAUNTICO/B0BLOCKERS/s3cr3tSlackPathToken"): Promise<SlackDouble> {
    const messages: { text: string }[] = [];
    const failures: number[] = [];
    const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const failure = failures.shift();
            if (req.method !== "POST" || req.url !== secretPath) {
                res.writeHead(404).end("no_service");
                return;
            }
            if (failure !== undefined) {
                res.writeHead(failure).end("internal_error");
                return;
            }
            const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            const text = typeof parsed === "object" && parsed !== null && "text" in parsed && typeof parsed.text === "string" ? parsed.text : undefined;
            if (text === undefined) {
                res.writeHead(400).end("no_text");
                return;
            }
            messages.push({ text });
            res.writeHead(200, { "content-type": "text/html" }).end("ok");
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address: AddressInfo | string | null = server.address();
    if (address === null || typeof address === "string") throw new Error("the Slack double is not listening on a TCP port");
    return {
        url: `http://127.0.0.1:${address.port}${secretPath}`,
        messages,
        failNext: (status) => failures.push(status),
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
