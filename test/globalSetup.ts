import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Tests run the compiled commands and the compiled policy pack: build them once (a no-op when sources are
 * unchanged). Then Node's compile cache, as `npm run <command>` uses it, for every process the tests start
 * (about 40 policy packs and a dozen compiled commands): a pack is stopped by a signal and never writes the
 * cache itself, so one process that loads what a pack loads, and exits, writes it first (a pack then starts
 * on ≈ 0.8 s of CPU instead of ≈ 1.3 s).
 */
export default function setup(): void {
    const projectDir = path.join(__dirname, "..");
    execFileSync(process.execPath, [path.join(projectDir, "tools", "build.mjs")], { stdio: "inherit", timeout: 300_000 });
    process.env["NODE_COMPILE_CACHE"] ??= path.join(os.tmpdir(), "node-compile-cache");
    const packFolder = path.join(projectDir, "dist", "policy");
    execFileSync(process.execPath, ["-e", "require('@pulumi/pulumi/cmd/run-policy-pack/run'); require('@pulumi/policy'); require('./gates/index.js')"], {
        cwd: packFolder,
        stdio: "inherit",
        timeout: 60_000,
    });
}
