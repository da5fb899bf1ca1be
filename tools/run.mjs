// `npm run <command>`: builds when a source changed (`build.mjs`), then runs the command from that build, in
// one process (a second node start would cost ≈ 50 ms of every run). The command's modules are loaded from
// the build's real directory, so a rebuild during the run does not change them.
import module, { createRequire } from "node:module";
import * as path from "node:path";
import { build } from "./build.mjs";

// Node's compile cache (V8 code cache on disk, checked against each file's content): a run after the first skips
// compiling @pulumi/pulumi and the SDKs, ≈ 40% of loading them. The policy pack, a child process, inherits it.
const compileCache = module.enableCompileCache?.();
if (compileCache?.directory && process.env.NODE_COMPILE_CACHE === undefined) process.env.NODE_COMPILE_CACHE = compileCache.directory;

const [command, ...argv] = process.argv.slice(2);
let target;
try {
    target = build();
} catch (error) {
    process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
}
const require = createRequire(import.meta.url);
const { runCommandProcess } = require(path.join(target, "cli", "process.js"));
runCommandProcess(command, argv);
