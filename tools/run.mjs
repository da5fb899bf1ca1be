// `npm run <command>`: builds when a source changed (`build.mjs`), then runs the command from that build, in
// one process (a second node start would cost ≈ 50 ms of every run). The command's modules are loaded from
// the build's real directory, so a rebuild during the run does not change them.
import { createRequire } from "node:module";
import * as path from "node:path";
import { build } from "./build.mjs";

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
