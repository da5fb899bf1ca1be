import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Stripe from "stripe";
import { pinnedClientApiVersion } from "../../components/stripe/index.js";

/**
 * A webhook receiver on 127.0.0.1 as an application should build one: Stripe events verified with the
 * official SDK (`stripe.webhooks.constructEvent`, 300 s tolerance), Paystack events with an HMAC-SHA512 check
 * of the raw body. `acceptEverything` makes it the receiver that verifies nothing.
 */
export interface ReceiverOptions {
    stripeSigningSecret: string;
    paystackSecretKey: string;
    acceptEverything?: boolean;
}

export interface WebhookReceiver {
    url: string;
    stripeUrl: string;
    paystackUrl: string;
    /** Event types accepted, in order. */
    accepted: string[];
    stop(): Promise<void>;
}

function header(request: IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return typeof value === "string" ? value : undefined;
}

function paystackSignatureValid(secretKey: string, rawBody: Buffer, signature: string | undefined): boolean {
    if (signature === undefined) return false;
    const expected = Buffer.from(createHmac("sha512", secretKey).update(rawBody).digest("hex"));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
}

function eventType(rawBody: Buffer): string {
    const parsed: unknown = JSON.parse(rawBody.toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return "unknown";
    const type = "type" in parsed ? parsed.type : "event" in parsed ? parsed.event : undefined;
    return typeof type === "string" ? type : "unknown";
}

export async function startWebhookReceiver(options: ReceiverOptions): Promise<WebhookReceiver> {
    const stripe = new Stripe("sk_test_receiverNeverCallsTheApi", { apiVersion: pinnedClientApiVersion, telemetry: false });
    const accepted: string[] = [];
    const answer = (response: ServerResponse, status: number, body: object): void => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
    };
    const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const rawBody = Buffer.concat(chunks);
            if (request.method !== "POST") return answer(response, 405, { error: "POST only" });
            if (options.acceptEverything) {
                accepted.push(eventType(rawBody));
                return answer(response, 200, { received: true });
            }
            if (request.url === "/webhooks/stripe") {
                try {
                    const event = stripe.webhooks.constructEvent(rawBody, header(request, "stripe-signature") ?? "", options.stripeSigningSecret);
                    accepted.push(event.type);
                    return answer(response, 200, { received: true });
                } catch {
                    return answer(response, 400, { error: "signature verification failed" });
                }
            }
            if (request.url === "/webhooks/paystack") {
                if (!paystackSignatureValid(options.paystackSecretKey, rawBody, header(request, "x-paystack-signature"))) {
                    return answer(response, 401, { error: "signature verification failed" });
                }
                accepted.push(eventType(rawBody));
                return answer(response, 200, { received: true });
            }
            return answer(response, 404, { error: "no such webhook" });
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("webhook receiver: no TCP address");
    const url = `http://127.0.0.1:${address.port}`;
    return {
        url,
        stripeUrl: `${url}/webhooks/stripe`,
        paystackUrl: `${url}/webhooks/paystack`,
        accepted,
        stop: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
