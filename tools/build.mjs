// `npm run build`: compiles the program, the commands and the policy pack into a build directory named by
// the hash of their sources, then points `dist` at it. Plain JavaScript because it runs before anything is
// compiled.
//
// - Unchanged sources: nothing is compiled (a hash of the sources, ≈ 20 ms), so `npm run preflight` pays
//   for a build only when a source changed.
// - A build never touches modules a running process may load: it compiles into a fresh temporary directory,
//   renames it to `.build/<hash>` (atomic; a concurrent build of the same sources loses the rename and
//   discards its copy), then replaces the `dist` symlink by rename (atomic). A process that started from an
//   earlier build resolved its modules through the symlink to that build's real path and keeps loading from
//   it; earlier builds are kept for an hour (and the last three always).
// - The policy pack is compiled here, with everything else: `dist/policy/` holds the pack (its
//   PulumiPolicy.yaml and a package.json whose `main` is `index.js`), and `policy/package.json`'s `main`
//   points at `../dist/policy/index.js`, so `--policy-pack policy` runs the compiled pack. Nothing compiles
//   at run time.
// - The compiler is TypeScript 7's native `tsc` (the `ts7` devDependency) when installed, else the
//   `typescript` dependency, so `npm ci --omit=dev` still builds and runs.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const projectDir = path.resolve(import.meta.dirname, "..");
const buildsDir = path.join(projectDir, ".build");
const distLink = path.join(projectDir, "dist");
const require = createRequire(import.meta.url);

/** Folders and files whose content decides the build (tests and generated output excluded). */
// `test/`: the benchmarks import test doubles and helpers (test files themselves are not compiled: skipped).
const sourceRoots = ["index.ts", "stacks", "components", "cli", "bench", "policy", "test", "tsconfig.json", "tsconfig.build.json", "tools/build.mjs"];
const skipped = new Set(["node_modules", "bin", ".build-lock"]);

function sourceFiles(entry) {
    const full = path.join(projectDir, entry);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return [];
    if (!stat.isDirectory()) return [entry];
    return fs
        .readdirSync(full, { withFileTypes: true })
        .filter((child) => !skipped.has(child.name) && !child.name.endsWith(".test.ts"))
        .flatMap((child) =>
            child.isDirectory() ? sourceFiles(path.join(entry, child.name)) : /\.(ts|json|ya?ml|mjs)$/.test(child.name) ? [path.join(entry, child.name)] : [],
        );
}

/** The build's name: a hash of every source file's path and content. */
export function sourceHash() {
    const hash = createHash("sha256");
    for (const file of sourceRoots.flatMap(sourceFiles).sort()) {
        hash.update(file)
            .update("\0")
            .update(fs.readFileSync(path.join(projectDir, file)))
            .update("\0");
    }
    return hash.digest("hex").slice(0, 16);
}

function compilerPath() {
    for (const pkg of ["ts7", "typescript"]) {
        try {
            return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "bin", "tsc");
        } catch {
            // not installed: try the next
        }
    }
    throw new Error("no TypeScript compiler installed (neither ts7 nor typescript)");
}

// The compiler's messages go to stderr: a command's stdout (`preflight --json`) stays its own.
function compileInto(outDir) {
    try {
        execFileSync(process.execPath, [compilerPath(), "-p", path.join(projectDir, "tsconfig.build.json"), "--outDir", outDir], {
            cwd: projectDir,
            stdio: ["ignore", 2, 2],
        });
    } catch {
        fs.rmSync(outDir, { recursive: true, force: true });
        throw new Error("tsc reported errors (above); nothing was replaced");
    }
    const packDir = path.join(outDir, "policy");
    fs.copyFileSync(path.join(projectDir, "policy", "PulumiPolicy.yaml"), path.join(packDir, "PulumiPolicy.yaml"));
    const pack = JSON.parse(fs.readFileSync(path.join(projectDir, "policy", "package.json"), "utf8"));
    fs.writeFileSync(path.join(packDir, "package.json"), `${JSON.stringify({ ...pack, main: "index.js" }, null, 2)}\n`);
    fs.writeFileSync(path.join(outDir, ".complete"), "");
}

function readLink(file) {
    try {
        return fs.readlinkSync(file);
    } catch {
        return undefined;
    }
}

/** Points `dist` at `target` by renaming a fresh symlink over it. */
function switchDist(target) {
    const relative = path.relative(projectDir, target);
    const now = new Date();
    // Its age is its last use: what pruning reads.
    fs.utimesSync(target, now, now);
    if (readLink(distLink) === relative) return;
    const temporary = `${distLink}.${process.pid}.tmp`;
    fs.rmSync(temporary, { force: true });
    fs.symlinkSync(relative, temporary, "dir");
    const current = fs.lstatSync(distLink, { throwIfNoEntry: false });
    // A `dist` directory from before builds were content-addressed: removed once.
    if (current && !current.isSymbolicLink()) fs.rmSync(distLink, { recursive: true, force: true });
    fs.renameSync(temporary, distLink);
}

function pruneOldBuilds(keep) {
    const builds = fs
        .readdirSync(buildsDir)
        .map((name) => ({ name, full: path.join(buildsDir, name), mtime: fs.statSync(path.join(buildsDir, name)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime);
    const hourAgo = Date.now() - 3_600_000;
    builds.forEach((build, index) => {
        if (build.full === keep || index < 3 || build.mtime > hourAgo) return;
        fs.rmSync(build.full, { recursive: true, force: true });
    });
}

export function build() {
    const target = path.join(buildsDir, sourceHash());
    if (!fs.existsSync(path.join(target, ".complete"))) {
        fs.mkdirSync(buildsDir, { recursive: true });
        const temporary = fs.mkdtempSync(path.join(buildsDir, "tmp-"));
        compileInto(temporary);
        try {
            fs.renameSync(temporary, target);
        } catch (error) {
            // Another build of the same sources finished first: its copy is identical.
            fs.rmSync(temporary, { recursive: true, force: true });
            if (!fs.existsSync(path.join(target, ".complete"))) throw error;
        }
    }
    switchDist(target);
    pruneOldBuilds(target);
    return target;
}

if (import.meta.filename === fs.realpathSync(process.argv[1] ?? "")) {
    try {
        build();
    } catch (error) {
        process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 2;
    }
}
