import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { GrafanaSpecValidator, type GrafanaOperation } from "./grafanaSpec.js";
import { isRecord } from "../support/values.js";

/**
 * A local stand-in for the parts of Grafana's HTTP API that `validate monitoring` reads, on 127.0.0.1.
 * Every request and every response is checked against Grafana's own API descriptions (`grafanaSpec.ts`); a
 * request they reject is answered 400 and recorded, a response they reject is recorded (a bug in the double).
 * Faults: a wrong token (401), a missing dashboard (404), a rule in error or no-data state, a failing
 * contact-point test, a panel query without data.
 */

export interface StoredDashboard {
    model: Record<string, unknown>;
    version: number;
}

export interface DoubleRule {
    uid: string;
    name: string;
    health: "ok" | "error" | "nodata";
    state: "inactive" | "pending" | "firing";
    lastError?: string;
}

export interface DoubleRuleGroup {
    name: string;
    /** Grafana puts the folder title here. */
    file: string;
    interval: number;
    rules: DoubleRule[];
}

export interface DoubleContactPoint {
    uid: string;
    name: string;
    type: string;
    settings: Record<string, unknown>;
}

export interface DoubleRequestRecord {
    method: string;
    path: string;
    status: number;
    authorization: string | undefined;
    body: unknown;
    specErrors: string[];
}

export class GrafanaDouble {
    readonly requests: DoubleRequestRecord[] = [];
    readonly dashboards = new Map<string, StoredDashboard>();
    ruleGroups: DoubleRuleGroup[] = [];
    contactPoints: DoubleContactPoint[] = [];
    /** Integration uids whose test notification fails, with the error Grafana reports. */
    readonly failingIntegrations = new Map<string, string>();
    /** Expressions whose query returns no data. */
    readonly exprsWithoutData = new Set<string>();
    /** Largest body the double will send for a route (to prove the client bounds its reads). */
    oversizedPath: string | undefined;
    private readonly validator = new GrafanaSpecValidator();
    private readonly sockets = new Set<Socket>();
    private server: Server | undefined;
    private port = 0;

    constructor(readonly token: string) {}

    async start(): Promise<this> {
        const server = createServer((request, response) => this.receive(request, response));
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => resolve());
        });
        const address = server.address();
        if (address === null || typeof address === "string") throw new Error("Grafana double: no TCP address");
        this.port = (address satisfies AddressInfo).port;
        this.server = server;
        return this;
    }

    async stop(): Promise<void> {
        const server = this.server;
        if (!server) return;
        this.server = undefined;
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    get specErrors(): string[] {
        return this.requests.flatMap((r) => r.specErrors.map((e) => `${r.method} ${r.path} → ${r.status}: ${e}`));
    }

    /** Requests that could change something in Grafana (everything but reads and the receiver test). */
    get writes(): DoubleRequestRecord[] {
        return this.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/receivers/test") && r.path !== "/api/ds/query");
    }

    private receive(request: IncomingMessage, response: ServerResponse): void {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            try {
                this.answer(request, response, Buffer.concat(chunks).toString("utf8"));
            } catch (error) {
                this.requests.at(-1)?.specErrors.push(`double crashed: ${error instanceof Error ? error.message : String(error)}`);
                if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
                response.end(JSON.stringify({ message: "double crashed" }));
            }
        });
    }

    private answer(request: IncomingMessage, response: ServerResponse, raw: string): void {
        const method = request.method ?? "GET";
        const target = new URL(request.url ?? "/", "http://127.0.0.1");
        const authorization = request.headers.authorization;
        const record: DoubleRequestRecord = { method, path: target.pathname, status: 0, authorization, body: undefined, specErrors: [] };
        this.requests.push(record);
        const send = (status: number, body: unknown, operation?: GrafanaOperation): void => {
            record.status = status;
            if (operation !== undefined) {
                const checked = this.validator.response(operation, status, body);
                record.specErrors.push(...checked.errors.map((e) => `response: ${e}`));
            }
            if (this.oversizedPath === target.pathname && status === 200) {
                response.writeHead(200, { "content-type": "application/json" });
                const chunk = Buffer.alloc(1024 * 1024, 0x20);
                let sent = 0;
                const pump = (): void => {
                    while (sent < 8 && response.write(chunk)) sent++;
                    if (sent < 8) response.once("drain", pump);
                    else response.end("{}");
                };
                pump();
                return;
            }
            response.writeHead(status, { "content-type": "application/json" });
            response.end(JSON.stringify(body));
        };
        const matched = this.validator.operation(method, target.pathname);
        if (matched === undefined) {
            record.specErrors.push("request: no operation of Grafana's API descriptions has this method and path");
            send(404, { message: "Not found" });
            return;
        }
        const operation = matched.operation;
        if (authorization !== `Bearer ${this.token}`) {
            send(401, { message: "Unauthorized" }, operation);
            return;
        }
        let body: unknown;
        try {
            body = raw === "" ? undefined : JSON.parse(raw);
        } catch {
            record.specErrors.push("request: body is not JSON");
            send(400, { message: "bad request data" }, operation);
            return;
        }
        record.body = body;
        const query = Object.fromEntries(target.searchParams.entries());
        const problems = [...this.validator.requestBody(operation, body).errors, ...this.validator.query(operation, query).errors];
        if (problems.length > 0) {
            record.specErrors.push(...problems.map((e) => `request: ${e}`));
            send(400, { message: `bad request data: ${problems[0] ?? ""}` }, operation);
            return;
        }
        const key = `${operation.method} ${operation.path}`;
        switch (key) {
            case "get /dashboards/uid/{uid}": {
                const stored = this.dashboards.get(matched.pathParams["uid"] ?? "");
                if (stored === undefined) return send(404, { message: "Dashboard not found", status: "not-found" }, operation);
                return send(200, { dashboard: { ...stored.model, version: stored.version }, meta: { version: stored.version, slug: String(stored.model["uid"] ?? ""), provisioned: false, canSave: true } }, operation);
            }
            case "post /ds/query":
                return send(200, this.queryData(body), operation);
            case "get /api/prometheus/grafana/api/v1/rules":
                return send(200, { status: "success", data: { groups: this.ruleGroups.map((g) => ({ ...g, rules: g.rules.map((r) => this.ruleStatus(r)) })) } }, operation);
            case "get /api/v1/provisioning/contact-points":
                return send(200, this.contactPoints.filter((cp) => query["name"] === undefined || cp.name === query["name"]), operation);
            case "post /api/alertmanager/grafana/config/api/v1/receivers/test":
                return this.receiverTest(body, (status, answer) => send(status, answer, operation));
            default:
                record.specErrors.push(`request: ${key} is described but not served by the double`);
                return send(404, { message: "Not found" }, operation);
        }
    }

    private ruleStatus(rule: DoubleRule): Record<string, unknown> {
        return {
            uid: rule.uid,
            name: rule.name,
            query: "",
            health: rule.health,
            state: rule.state,
            type: "alerting",
            annotations: {},
            labels: {},
            alerts: rule.state === "firing" ? [{ labels: { alertname: rule.name }, annotations: {}, state: "Alerting", value: "1" }] : [],
            ...(rule.lastError !== undefined ? { lastError: rule.lastError } : {}),
        };
    }

    /** Grafana's wire format: one time-series frame per query, 60 points, or no frame when it has no data. */
    private queryData(body: unknown): Record<string, unknown> {
        const queries = isRecord(body) && Array.isArray(body["queries"]) ? body["queries"].filter(isRecord) : [];
        const results: Record<string, unknown> = {};
        for (const query of queries) {
            const refId = typeof query["refId"] === "string" ? query["refId"] : "A";
            const expr = typeof query["expr"] === "string" ? query["expr"] : "";
            if (this.exprsWithoutData.has(expr)) {
                results[refId] = { status: 200, frames: [] };
                continue;
            }
            const times = Array.from({ length: 60 }, (_, i) => 1_700_000_000_000 + i * 60_000);
            results[refId] = {
                status: 200,
                frames: [{ schema: { refId, fields: [{ name: "Time", type: "time" }, { name: "Value", type: "number" }] }, data: { values: [times, times.map(() => 1)] } }],
            };
        }
        return { results };
    }

    private receiverTest(body: unknown, send: (status: number, body: unknown) => void): void {
        const receivers = isRecord(body) && Array.isArray(body["receivers"]) ? body["receivers"].filter(isRecord) : [];
        let failed = false;
        const answered = receivers.map((receiver) => ({
            name: receiver["name"],
            grafana_managed_receiver_configs: (Array.isArray(receiver["grafana_managed_receiver_configs"]) ? receiver["grafana_managed_receiver_configs"].filter(isRecord) : []).map((config) => {
                const uid = typeof config["uid"] === "string" ? config["uid"] : "";
                const stored = this.contactPoints.find((cp) => cp.uid === uid);
                const error = stored === undefined ? "integration not found" : this.failingIntegrations.get(uid);
                if (error !== undefined) failed = true;
                return { name: config["name"], uid, status: error === undefined ? "ok" : "failed", ...(error !== undefined ? { error } : {}) };
            }),
        }));
        send(failed ? 207 : 200, { alert: { labels: {}, annotations: {} }, receivers: answered, notified_at: new Date(0).toISOString() });
    }
}
