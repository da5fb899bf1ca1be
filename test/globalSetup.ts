import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** Tests run the compiled commands and the compiled policy pack: build them once (a no-op when sources are unchanged). */
export default function setup(): void {
    execFileSync(process.execPath, [path.join(__dirname, "..", "tools", "build.mjs")], { stdio: "inherit", timeout: 300_000 });
}
