import { spawnSync } from "node:child_process";

/** Where `prometheus` and `promtool` are (Debian's `prometheus` package), or why the Prometheus tests skip. */
export interface PrometheusTools {
    prometheus: string;
    promtool: string;
    version: string;
}

function which(command: string): string | undefined {
    const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8", timeout: 5_000 });
    const path = found.stdout.trim();
    return found.status === 0 && path !== "" ? path : undefined;
}

let cached: PrometheusTools | string | undefined;

/** The tools, or a string saying why they are absent (the reason a test skips with). */
export function prometheusTools(): PrometheusTools | string {
    if (cached !== undefined) return cached;
    const prometheus = which("prometheus");
    const promtool = which("promtool");
    if (prometheus === undefined || promtool === undefined) {
        cached = `Prometheus not installed (${[prometheus ? "" : "prometheus", promtool ? "" : "promtool"].filter(Boolean).join(" and ")} not on PATH): apt-get install -y prometheus, as .ci/run does`;
        return cached;
    }
    const version = spawnSync(prometheus, ["--version"], { encoding: "utf8", timeout: 10_000 });
    cached = { prometheus, promtool, version: (version.stdout || version.stderr).split("\n")[0]?.trim() ?? "unknown" };
    return cached;
}
