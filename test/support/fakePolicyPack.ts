import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/**
 * The fake pack's runner, where `startPackProcess` resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack's
 * folder: it loads the pack from the folder it is given (`.`, in the pack's folder), as the real one does, and
 * nothing else. The real runner loads @pulumi/pulumi first (≈ 0.5 s CPU a start); tests of the real one start
 * the real pack.
 */
const runner = `require(require("node:path").resolve(process.argv[3] ?? "."));\n`;

export interface FakePolicyPack {
    /** The pack's folder, to pass as `packFolder`. */
    folder: string;
    remove(): void;
}

/**
 * A policy pack whose program is `program` (plain Node.js), laid out as a build lays out the real one:
 * `<root>/policy/` beside `<root>/node_modules` (holding the runner above) and, when `guard` is given,
 * `<root>/cli/analyzer/packOrphanGuard.js` holding it. It starts in a fraction of the real pack's time and
 * does exactly what a test tells it to. `rootName` is the temporary folder's prefix (a test of paths the
 * pack's NODE_OPTIONS cannot quote puts a quote in it).
 */
export function fakePolicyPack(program: string, guard?: string, rootName = "vauntico-fake-pack-"): FakePolicyPack {
    const root = mkdtempSync(path.join(tmpdir(), rootName));
    const runnerFolder = path.join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    mkdirSync(runnerFolder, { recursive: true });
    writeFileSync(path.join(runnerFolder, "index.js"), runner);
    const folder = path.join(root, "policy");
    mkdirSync(folder);
    writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: "fake-pack", version: "0.0.0", main: "index.js" }));
    writeFileSync(path.join(folder, "index.js"), program);
    if (guard !== undefined) {
        mkdirSync(path.join(root, "cli", "analyzer"), { recursive: true });
        writeFileSync(path.join(root, "cli", "analyzer", "packOrphanGuard.js"), guard);
    }
    return { folder, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A fake pack's program line that writes the environment entries `names` to stderr as JSON, and its cwd. */
export function reportEnvironment(names: readonly string[]): string {
    return `process.stderr.write(JSON.stringify({ cwd: process.cwd(), env: Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n] ?? null])) }) + "\\n");`;
}

/** A fake pack's program line that keeps it running until it is stopped. */
export const keepRunning = "setInterval(() => {}, 60_000);";
