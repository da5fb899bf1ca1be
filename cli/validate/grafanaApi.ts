/** A minimal Grafana HTTP API client for the live checks: bounded reads, a time limit per call, no token in any message. */

export const maxResponseBytes = 4 * 1024 * 1024;
const requestTimeoutMs = 15_000;

export interface ApiAnswer {
    status: number;
    body: unknown;
}

/** The request could not be made or answered (network, time-out, oversized or non-JSON body). */
export class GrafanaUnreachable extends Error {}

/** Grafana refused the credentials (401/403): nothing can be checked. */
export class GrafanaAuthRefused extends Error {}

/** `user:password` is basic auth (as `grafana:auth` allows); anything else is a bearer token. */
export function authorizationHeader(auth: string): string {
    return auth.includes(":") ? `Basic ${Buffer.from(auth, "utf8").toString("base64")}` : `Bearer ${auth}`;
}

/** The body as text, refusing more than `limit` bytes (the read stops there). */
export async function boundedBody(response: Response, limit = maxResponseBytes): Promise<string> {
    const reader = response.body?.getReader();
    if (reader === undefined) return "";
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
            await reader.cancel();
            throw new GrafanaUnreachable(`response body larger than ${limit} bytes`);
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks).toString("utf8");
}

function reasonOf(error: unknown): string {
    if (error instanceof Error) {
        if (error.name === "TimeoutError") return `no answer within ${requestTimeoutMs} ms`;
        const cause = error.cause;
        if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code;
        return error.message;
    }
    return "error";
}

export class GrafanaApi {
    private readonly base: URL;
    private readonly authorization: string;

    constructor(url: string, auth: string) {
        this.base = new URL(url.endsWith("/") ? url : `${url}/`);
        this.authorization = authorizationHeader(auth);
    }

    /** `GET`/`POST` a path under the Grafana URL (`api/…`, no leading slash needed); 401/403 throw `GrafanaAuthRefused`. */
    async call(method: "GET" | "POST", path: string, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<ApiAnswer> {
        const target = new URL(path.replace(/^\//, ""), this.base);
        for (const [key, value] of Object.entries(options.query ?? {})) target.searchParams.set(key, value);
        let response: Response;
        try {
            response = await fetch(target, {
                method,
                headers: {
                    authorization: this.authorization,
                    accept: "application/json",
                    ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
                },
                ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
                redirect: "manual",
                signal: AbortSignal.timeout(requestTimeoutMs),
            });
        } catch (error) {
            throw new GrafanaUnreachable(`${method} ${target.pathname}: ${reasonOf(error)}`);
        }
        let text: string;
        try {
            text = await boundedBody(response);
        } catch (error) {
            throw new GrafanaUnreachable(`${method} ${target.pathname}: ${reasonOf(error)}`);
        }
        if (response.status === 401 || response.status === 403) {
            throw new GrafanaAuthRefused(
                `${method} ${target.pathname}: Grafana answered ${response.status}; check the token (GRAFANA_AUTH or grafana:auth) and its permissions`,
            );
        }
        let body: unknown;
        try {
            body = text === "" ? undefined : JSON.parse(text);
        } catch {
            throw new GrafanaUnreachable(`${method} ${target.pathname}: answered ${response.status} with a body that is not JSON`);
        }
        return { status: response.status, body };
    }
}
