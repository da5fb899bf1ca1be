import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Tests run the compiled commands and the compiled policy pack: build them once (a no-op when sources are
 * unchanged). Then Node's compile cache, as the commands use it, for every process the tests start (dozens of
 * policy packs and compiled commands): where the packs have none yet (a fresh machine), one pack started and
 * stopped here writes it (see `packCompileCache`), so each pack in the tests starts on about half the CPU.
 */
export default async function setup(): Promise<void> {
    const projectDir = path.join(__dirname, "..");
    execFileSync(process.execPath, [path.join(projectDir, "tools", "build.mjs")], { stdio: "inherit", timeout: 300_000 });
    process.env["NODE_COMPILE_CACHE"] ??= path.join(os.tmpdir(), "node-compile-cache");
    const dist = path.join(projectDir, "dist");
    const { packCompileCache }: typeof import("../cli/analyzer/packProcess.js") = require(path.join(dist, "cli", "analyzer", "packProcess.js"));
    // Once written, the packs keep it up to date themselves (each writes what it compiled when it exits).
    const packCache = packCompileCache(process.env["NODE_COMPILE_CACHE"]).NODE_COMPILE_CACHE;
    if (packCache !== undefined && existsSync(packCache)) return;
    const { launchPack }: typeof import("../cli/analyzer/packLaunch.js") = require(path.join(dist, "cli", "analyzer", "packLaunch.js"));
    const { readStackFile, redactedConfig }: typeof import("../cli/plan/stackFile.js") = require(path.join(dist, "cli", "plan", "stackFile.js"));
    const file = readStackFile(projectDir, "prod");
    const pack = await launchPack({ project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys });
    await pack.stop();
}
