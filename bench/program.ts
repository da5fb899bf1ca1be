import * as path from "node:path";
import { formatSample, timeCommand, timeInTurns, type Sample } from "./measure.js";

// npm runs the bench from the project folder, as it runs every command; the compiled bench lives in a content-addressed build folder.
const projectDir = process.cwd();
const node = process.execPath;

/**
 * Issue figures: preflight wall time against `require('@pulumi/pulumi')` (issue 10: `npm run preflight` ≤ 2.5×), and program load time
 * under each loader the Pulumi.yaml runtime options allow.
 */
export function benchProgram(runs = 5): string[] {
    const lines: string[] = ["## Program and preflight", ""];
    // Issue 10's goal: `npm run preflight` exactly as the README types it (npm, the up-to-date check of the
    // build, the command) ≤ 2.5× a bare `require('@pulumi/pulumi')`, sources unchanged, in the same run.
    const [bare, npmPreflight] = timeInTurns(
        [
            { label: "node -e require('@pulumi/pulumi')", command: node, args: ["-e", "require('@pulumi/pulumi')"], cwd: projectDir },
            { label: "npm run preflight (sources unchanged)", command: "npm", args: ["run", "preflight"], cwd: projectDir },
        ],
        runs,
    );
    if (bare && npmPreflight) {
        lines.push(
            formatSample(bare),
            formatSample(npmPreflight),
            `ratio npm run preflight / require('@pulumi/pulumi'): ${(npmPreflight.medianMs / bare.medianMs).toFixed(2)}× (goal ≤ 2.5×)`,
            "",
        );
    }
    const floor = timeCommand("node -e require('@pulumi/pulumi')", node, ["-e", "require('@pulumi/pulumi')"], runs);
    const preflight = timeCommand("preflight --json (prod)", node, [path.join(projectDir, "dist/cli/preflight.js"), "--json"], runs, { cwd: projectDir });
    lines.push(
        formatSample(floor),
        formatSample(preflight),
        `ratio preflight / require('@pulumi/pulumi'): ${(preflight.medianMs / floor.medianMs).toFixed(2)}× (no goal of its own: the README types npm run preflight)`,
        "",
    );

    lines.push("Program load under mocks, per loader:");
    for (const loader of ["compiled", "ts-node-transpile", "ts-node-typecheck"]) {
        let sample: Sample | undefined;
        try {
            sample = timeCommand(`load via ${loader}`, node, [path.join(projectDir, "dist/bench/loadProgram.js"), loader, projectDir], runs, {
                cwd: projectDir,
            });
        } catch (error) {
            lines.push(
                `load via ${loader}: fails — ${String(error instanceof Error ? error.message : error)
                    .split("\n")
                    .slice(0, 2)
                    .join(" ")}`,
            );
        }
        if (sample) lines.push(formatSample(sample));
    }
    return lines;
}
