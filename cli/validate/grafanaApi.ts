import { type BodyTooLargeError, boundedFetch } from "../../components/shared/boundedFetch.js";

/** A minimal Grafana HTTP API client for the live checks: bounded reads, a time limit per call, no token in any message. */

export const maxResponseBytes = 4 * 1024 * 1024;
export const requestTimeoutMs = 15_000;

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

/** Why a call failed, for the message: the socket error's code when there is one, else the error's own message. */
export function reasonOf(error: unknown, timeoutMs: number): string {
    if (error instanceof Error) {
        if (error.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
        const cause = error.cause;
        if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code;
        return error.message;
    }
    return "error";
}

export class GrafanaApi {
    private readonly base: URL;
    private readonly authorization: string;

    private readonly timeoutMs: number;

    /** `timeoutMs` bounds each call; tests shorten it. */
    constructor(url: string, auth: string, timeoutMs = requestTimeoutMs) {
        this.timeoutMs = timeoutMs;
        this.base = new URL(url.endsWith("/") ? url : `${url}/`);
        this.authorization = authorizationHeader(auth);
        // fetch would refuse the header with a message that quotes it, token and all.
        if (!/^[\x20-\x7e]*$/.test(this.authorization)) {
            throw new GrafanaAuthRefused("the token (GRAFANA_AUTH or grafana:auth) holds characters an HTTP header cannot carry (not shown)");
        }
    }

    /** `GET`/`POST` a path under the Grafana URL (`api/…`, no leading slash needed); 401/403 throw `GrafanaAuthRefused`. */
    async call(method: "GET" | "POST", path: string, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<ApiAnswer> {
        const target = new URL(path.replace(/^\//, ""), this.base);
        for (const [key, value] of Object.entries(options.query ?? {})) target.searchParams.set(key, value);
        let response: Response;
        let cut: BodyTooLargeError | undefined;
        const fetchBounded = boundedFetch(maxResponseBytes, (error) => {
            cut = error;
        });
        try {
            response = await fetchBounded(target, {
                method,
                headers: {
                    authorization: this.authorization,
                    accept: "application/json",
                    ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
                },
                ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
                redirect: "manual",
                signal: AbortSignal.timeout(this.timeoutMs),
            });
        } catch (error) {
            throw new GrafanaUnreachable(`${method} ${target.pathname}: ${reasonOf(error, this.timeoutMs)}`);
        }
        let text: string;
        try {
            text = await response.text();
        } catch (error) {
            throw new GrafanaUnreachable(`${method} ${target.pathname}: ${reasonOf(cut ?? error, this.timeoutMs)}`);
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
