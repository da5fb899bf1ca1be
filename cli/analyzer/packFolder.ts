import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";

/** The policy pack's folder: `policy/` of the project, found by walking up from this module (src or dist). */
export function policyPackFolder(from: string = __dirname): string {
    let dir = from;
    for (;;) {
        const candidate = path.join(dir, "policy");
        if (existsSync(path.join(candidate, "PulumiPolicy.yaml"))) return candidate;
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`no policy/PulumiPolicy.yaml above ${from}`);
        dir = parent;
    }
}

function newestSourceMtime(dir: string): number {
    let newest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "bin" || entry.name === "node_modules") continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
        else if (entry.name.endsWith(".ts") || entry.name === "tsconfig.json") newest = Math.max(newest, statSync(full).mtimeMs);
    }
    return newest;
}

function sleep(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Compiles the pack to `policy/bin/` when its JavaScript is missing or older than its sources: the CLI runs
 * the pack's compiled `main`, so nothing is type-checked at pack start. A lock directory keeps concurrent
 * callers (parallel test files) from compiling over each other.
 */
export function ensurePolicyPackBuilt(packFolder: string = policyPackFolder()): void {
    const main = path.join(packFolder, "bin", "index.js");
    const fresh = (): boolean => existsSync(main) && statSync(main).mtimeMs >= newestSourceMtime(packFolder);
    if (fresh()) return;
    const lock = path.join(packFolder, ".build-lock");
    for (let attempt = 0; ; attempt++) {
        try {
            mkdirSync(lock);
            break;
        } catch {
            if (attempt > 600) throw new Error(`policy pack build lock ${lock} held for over a minute; remove it if no build is running`);
            sleep(100);
        }
    }
    try {
        if (fresh()) return;
        const tsc = path.join(path.dirname(require.resolve("ts7/package.json")), "bin", "tsc");
        execFileSync(process.execPath, [tsc, "-p", path.join(packFolder, "tsconfig.json")], { stdio: "pipe" });
    } finally {
        rmSync(lock, { recursive: true, force: true });
    }
}
