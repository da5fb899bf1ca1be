import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBounded } from "./promtool.js";
import type { PrometheusTools } from "./tools.js";
import { isRecord } from "../values.js";
import { boundedFetch } from "../../../components/shared/boundedFetch.js";

const startupTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;
const maxBodyBytes = 8 * 1024 * 1024;

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address !== null ? address.port : 0;
            server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
        });
    });
}

export interface QueryResult {
    status: string;
    error?: string;
    series: { metric: Record<string, string>; values: number[] }[];
}

/**
 * A real `prometheus` on 127.0.0.1 (free port, temporary storage) over a TSDB backfilled from OpenMetrics
 * text with `promtool tsdb create-blocks-from openmetrics`. `stop()` always kills it and removes its files.
 */
export class PrometheusServer {
    private constructor(
        private readonly child: ChildProcess,
        private readonly dir: string,
        readonly url: string,
        private log: string,
    ) {}

    static async start(tools: PrometheusTools, openMetrics: string): Promise<PrometheusServer> {
        const dir = mkdtempSync(join(tmpdir(), "vauntico-prometheus-"));
        try {
            writeFileSync(join(dir, "input.om"), openMetrics);
            writeFileSync(join(dir, "prometheus.yml"), "global:\n  evaluation_interval: 1m\n");
            const backfill = await runBounded(tools.promtool, ["tsdb", "create-blocks-from", "openmetrics", "input.om", "data"], {
                cwd: dir,
                timeoutMs: 60_000,
            });
            if (backfill.code !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed:\n${backfill.output.slice(0, 3000)}`);
        } catch (error) {
            rmSync(dir, { recursive: true, force: true });
            throw error;
        }
        const port = await freePort();
        const child = spawn(
            tools.prometheus,
            [
                `--config.file=${join(dir, "prometheus.yml")}`,
                `--storage.tsdb.path=${join(dir, "data")}`,
                "--storage.tsdb.retention.time=30d",
                `--web.listen-address=127.0.0.1:${port}`,
            ],
            { stdio: ["ignore", "pipe", "pipe"] },
        );
        const server = new PrometheusServer(child, dir, `http://127.0.0.1:${port}`, "");
        // If the test process ends without stop() (a crash, a killed worker), the server must not outlive it.
        const killOnExit = () => child.kill("SIGKILL");
        process.once("exit", killOnExit);
        child.once("close", () => process.removeListener("exit", killOnExit));
        const keep = (chunk: Buffer) => {
            if (server.log.length < 20_000) server.log += chunk.toString("utf8");
        };
        child.stdout?.on("data", keep);
        child.stderr?.on("data", keep);
        try {
            await server.waitReady();
        } catch (error) {
            await server.stop();
            throw error;
        }
        return server;
    }

    private async waitReady(): Promise<void> {
        const deadline = Date.now() + startupTimeoutMs;
        while (Date.now() < deadline) {
            if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}:\n${this.log.slice(-3000)}`);
            try {
                const response = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
                await response.body?.cancel();
                if (response.ok) return;
            } catch {
                // not listening yet
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`prometheus not ready within ${startupTimeoutMs} ms:\n${this.log.slice(-3000)}`);
    }

    /** A range query (as a Grafana panel sends it) or, without `range`, an instant query, through the HTTP API. */
    async query(expr: string, at: number, range?: { seconds: number; step: number }): Promise<QueryResult> {
        const params = new URLSearchParams({ query: expr });
        if (range === undefined) params.set("time", String(at));
        else {
            params.set("start", String(at - range.seconds));
            params.set("end", String(at));
            params.set("step", String(range.step));
        }
        const response = await boundedFetch(maxBodyBytes)(`${this.url}/api/v1/${range === undefined ? "query" : "query_range"}`, {
            method: "POST",
            body: params,
            signal: AbortSignal.timeout(10_000),
        });
        const text = await response.text();
        const body: unknown = JSON.parse(text);
        return parseQueryResponse(body);
    }

    async stop(): Promise<void> {
        const child = this.child;
        if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
            await exited;
            clearTimeout(timer);
        }
        rmSync(this.dir, { recursive: true, force: true });
    }
}

function parseQueryResponse(body: unknown): QueryResult {
    if (!isRecord(body)) throw new Error("Prometheus answered with a non-object");
    const status = typeof body["status"] === "string" ? body["status"] : "unknown";
    const error = typeof body["error"] === "string" ? body["error"] : undefined;
    const data = isRecord(body["data"]) ? body["data"] : {};
    const result = Array.isArray(data["result"]) ? data["result"] : [];
    const series = result.filter(isRecord).map((item) => {
        const metric: Record<string, string> = {};
        if (isRecord(item["metric"])) for (const [k, v] of Object.entries(item["metric"])) if (typeof v === "string") metric[k] = v;
        const points = Array.isArray(item["values"]) ? item["values"] : Array.isArray(item["value"]) ? [item["value"]] : [];
        const values = points.map((p: unknown) => (Array.isArray(p) ? Number(p[1]) : Number.NaN));
        return { metric, values };
    });
    return { status, ...(error !== undefined ? { error } : {}), series };
}
