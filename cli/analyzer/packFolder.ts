import { existsSync } from "node:fs";
import * as path from "node:path";

/**
 * The policy pack's folder: the nearest `policy/` holding PulumiPolicy.yaml above this module. From the
 * build (`dist/cli/analyzer`) that is the build's own compiled pack, `dist/policy/`, so a command runs the
 * pack of the same build; from the sources (tests) it is the project's `policy/`, whose `main` is the
 * build's pack. The pack is compiled by `npm run build`, never at run time.
 */
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

/** The pack's compiled entry, or an error saying how to build it. */
export function policyPackMain(packFolder: string): string {
    try {
        return require.resolve(packFolder);
    } catch {
        throw new Error(`the policy pack in ${packFolder} is not built: run \`npm run build\``);
    }
}
