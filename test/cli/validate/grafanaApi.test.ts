import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
    authorizationHeader,
    GrafanaApi,
    GrafanaAuthRefused,
    GrafanaUnreachable,
    maxResponseBytes,
    reasonOf,
    requestTimeoutMs,
} from "../../../cli/validate/grafanaApi.js";
import { BodyTooLargeError } from "../../../components/shared/boundedFetch.js";
import { startEndlessServer } from "../../doubles/endlessServer.js";

describe("Grafana credentials", () => {
    it("sends user:password as basic auth and anything else as a bearer token", () => {
        expect(authorizationHeader("admin:s3cret")).toBe(`Basic ${Buffer.from("admin:s3cret").toString("base64")}`);
        expect(authorizationHeader("glsa_abc")).toBe("Bearer glsa_abc");
    });
});

describe("a token an HTTP header cannot carry", () => {
    // fetch's own refusal quotes the header value: "Headers.append: "Bearer glsa_…\n" is an invalid header value."
    it.each(["glsa_secretToken\n", "glsa_secret\rToken", "glsa_secret\u0100Token", "glsa_secret\u0000"])(
        "is refused before any request, never shown (%j)",
        (token) => {
            let thrown: unknown;
            try {
                new GrafanaApi("https://grafana.example", token);
            } catch (error) {
                thrown = error;
            }
            expect(thrown).toEqual(new GrafanaAuthRefused("the token (GRAFANA_AUTH or grafana:auth) holds characters an HTTP header cannot carry (not shown)"));
            expect(thrown).toBeInstanceOf(GrafanaAuthRefused);
        },
    );

    it("printable ASCII is carried; user:password is sent as base64, whatever its characters", () => {
        expect(() => new GrafanaApi("https://grafana.example", " glsa_~!secret ")).not.toThrow();
        expect(() => new GrafanaApi("https://grafana.example", "admin:pässwörd\n")).not.toThrow();
    });
});

describe("reasonOf: why a call failed", () => {
    const withCause = (cause: unknown) => new Error("fetch failed", { cause });

    it("the socket error's code when the cause carries a string code; the error's message otherwise, one condition at a time", () => {
        expect(reasonOf(withCause({ code: "ECONNRESET" }), 100)).toBe("ECONNRESET");
        expect(reasonOf(withCause("ECONNRESET"), 100)).toBe("fetch failed");
        expect(reasonOf(withCause(null), 100)).toBe("fetch failed");
        expect(reasonOf(withCause({ errno: -104 }), 100)).toBe("fetch failed");
        expect(reasonOf(withCause({ code: 104 }), 100)).toBe("fetch failed");
        expect(reasonOf(new Error("fetch failed"), 100)).toBe("fetch failed");
    });

    it("a time-out names the limit; an oversized body says so; anything not an Error is just 'error'", () => {
        const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
        expect(reasonOf(timeout, 250)).toBe("no answer within 250 ms");
        expect(reasonOf(new BodyTooLargeError(10), 100)).toBe(new BodyTooLargeError(10).message);
        expect(reasonOf("boom", 100)).toBe("error");
        expect(reasonOf(undefined, 100)).toBe("error");
    });
});

interface Seen {
    method: string | undefined;
    url: string | undefined;
    headers: IncomingMessage["headers"];
    body: string;
}

/** Answers each request from the status and body its path asks for (`/status/401`, `/text/…`); records what it saw. */
let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
    server = createServer((request, response) => {
        let body = "";
        request.on("data", (chunk: Buffer) => {
            body += chunk.toString("utf8");
        });
        request.on("end", () => {
            seen.push({ method: request.method, url: request.url, headers: request.headers, body });
            const path = new URL(request.url ?? "/", "http://x").pathname;
            const status = /\/status\/(\d{3})$/.exec(path)?.[1];
            if (status !== undefined) {
                response.writeHead(Number(status), Number(status) === 302 ? { location: "/grafana/api/elsewhere" } : { "content-type": "application/json" });
                response.end(Number(status) === 302 ? "" : JSON.stringify({ message: `status ${status}` }));
            } else if (path.endsWith("/silent")) {
                // Headers never come: only the caller's time limit ends the call.
            } else if (path.endsWith("/truncated")) {
                // A body promised 100 bytes long, cut after 10: reading it fails, and not for its size.
                response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
                response.write('{"partial"');
                setTimeout(() => response.socket?.destroy(), 20);
            } else if (path.endsWith("/empty")) {
                response.writeHead(200);
                response.end();
            } else if (path.endsWith("/html")) {
                response.writeHead(200, { "content-type": "text/html" });
                response.end("<html>login</html>");
            } else {
                response.writeHead(200, { "content-type": "application/json" });
                response.end(JSON.stringify({ path }));
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port }: AddressInfo = JSON.parse(JSON.stringify(server.address()));
    base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
});

function last(): Seen {
    const request = seen.at(-1);
    if (!request) throw new Error("no request");
    return request;
}

describe("GrafanaApi.call", () => {
    it("resolves paths under the Grafana URL, with or without a trailing or leading slash", async () => {
        for (const url of [`${base}/grafana`, `${base}/grafana/`]) {
            const api = new GrafanaApi(url, "glsa_token");
            expect(await api.call("GET", "api/health")).toEqual({ status: 200, body: { path: "/grafana/api/health" } });
            expect(await api.call("GET", "/api/health")).toEqual({ status: 200, body: { path: "/grafana/api/health" } });
        }
    });

    it("GET: the token, JSON accepted, the query; no body and no content type", async () => {
        const api = new GrafanaApi(base, "glsa_token");
        await api.call("GET", "api/search", { query: { type: "dash-db", query: "a b" } });
        const request = last();
        expect(request.method).toBe("GET");
        expect(request.url).toBe("/api/search?type=dash-db&query=a+b");
        expect(request.headers["authorization"]).toBe("Bearer glsa_token");
        expect(request.headers["accept"]).toBe("application/json");
        expect(request.headers["content-type"]).toBeUndefined();
        expect(request.body).toBe("");
    });

    it("POST: the body as JSON, said so in the content type; basic auth for user:password", async () => {
        const api = new GrafanaApi(base, "admin:pw");
        await api.call("POST", "api/ds/query", { body: { queries: [{ refId: "A" }] } });
        const request = last();
        expect(request.method).toBe("POST");
        expect(request.headers["content-type"]).toBe("application/json");
        expect(request.headers["authorization"]).toBe(`Basic ${Buffer.from("admin:pw").toString("base64")}`);
        expect(JSON.parse(request.body)).toEqual({ queries: [{ refId: "A" }] });
    });

    it("401 and 403 refuse the token, naming the request; other statuses are answers; a redirect is not followed", async () => {
        const api = new GrafanaApi(base, "glsa_token");
        for (const status of [401, 403]) {
            const refused = api.call("GET", `api/status/${status}`);
            await expect(refused).rejects.toThrow(GrafanaAuthRefused);
            await expect(api.call("GET", `api/status/${status}`)).rejects.toThrow(
                `GET /api/status/${status}: Grafana answered ${status}; check the token (GRAFANA_AUTH or grafana:auth) and its permissions`,
            );
        }
        for (const status of [400, 402, 404, 500]) {
            expect(await api.call("GET", `api/status/${status}`)).toEqual({ status, body: { message: `status ${status}` } });
        }
        expect(await api.call("GET", "api/status/302")).toEqual({ status: 302, body: undefined });
        expect(seen.some((r) => r.url === "/grafana/api/elsewhere")).toBe(false);
    });

    it("an empty body is no body; a body that is not JSON is unreachable", async () => {
        const api = new GrafanaApi(base, "glsa_token");
        expect(await api.call("GET", "api/empty")).toEqual({ status: 200, body: undefined });
        const html = api.call("POST", "api/html", { body: {} });
        await expect(html).rejects.toThrow(GrafanaUnreachable);
        await expect(api.call("POST", "api/html", { body: {} })).rejects.toThrow("POST /api/html: answered 200 with a body that is not JSON");
    });

    it("a refused connection is unreachable, with the socket error's code", async () => {
        const closed = createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const { port }: AddressInfo = JSON.parse(JSON.stringify(closed.address()));
        await new Promise((resolve) => closed.close(resolve));
        const api = new GrafanaApi(`http://127.0.0.1:${port}`, "glsa_token");
        await expect(api.call("GET", "api/health")).rejects.toThrow(new GrafanaUnreachable("GET /api/health: ECONNREFUSED"));
    });

    it("an answer over the limit is cut, and said so: unreachable", async () => {
        const endless = await startEndlessServer();
        try {
            const api = new GrafanaApi(endless.url, "glsa_token");
            await expect(api.call("GET", "api/dashboards/uid/x")).rejects.toThrow(
                new GrafanaUnreachable(
                    `GET /api/dashboards/uid/x: the answer's body is larger than ${maxResponseBytes} bytes; stopped reading it and closed the connection`,
                ),
            );
            expect(maxResponseBytes).toBe(4 * 1024 * 1024);
        } finally {
            await endless.stop();
        }
    });

    it("a call that gets no answer in time is unreachable, naming the limit (15 s unless given)", async () => {
        expect(requestTimeoutMs).toBe(15_000);
        const api = new GrafanaApi(base, "glsa_token", 200);
        const started = Date.now();
        await expect(api.call("GET", "api/silent")).rejects.toThrow(new GrafanaUnreachable("GET /api/silent: no answer within 200 ms"));
        expect(Date.now() - started).toBeLessThan(5_000);
    });

    it("a body cut short is unreachable, with the socket error's code", async () => {
        const api = new GrafanaApi(base, "glsa_token");
        await expect(api.call("GET", "api/truncated")).rejects.toThrow(new GrafanaUnreachable("GET /api/truncated: UND_ERR_SOCKET"));
    });
});
