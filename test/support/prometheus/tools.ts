import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Where `prometheus` and `promtool` are (Debian's `prometheus` package), or why the Prometheus tests skip. */
export interface PrometheusTools {
    prometheus: string;
    promtool: string;
    version: string;
}

/** The first executable `command` on the PATH. */
function which(command: string): string | undefined {
    for (const folder of (process.env["PATH"] ?? "").split(delimiter)) {
        if (folder === "") continue;
        const candidate = join(folder, command);
        try {
            accessSync(candidate, constants.X_OK);
            return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
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
    cached = { prometheus, promtool, version: `${version.stdout ?? ""}${version.stderr ?? ""}`.split("\n")[0]?.trim() || "unknown" };
    return cached;
}
