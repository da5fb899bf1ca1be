import { existsSync } from "node:fs";
import * as path from "node:path";
import { readStackFile, type StackFileConfig } from "../../cli/plan/index.js";

export const projectDir = path.resolve(__dirname, "../..");
/** `../shared` beside the project, found upwards (a mutation run works in a sandbox folder below the project). */
export const sharedDir = findSharedDir(projectDir);

function findSharedDir(start: string): string {
    for (let folder = start; folder !== path.dirname(folder); folder = path.dirname(folder)) {
        const candidate = path.join(path.dirname(folder), "shared");
        if (existsSync(path.join(candidate, "protocol"))) return candidate;
    }
    throw new Error(`no shared/protocol folder beside any folder above ${start}`);
}

/** The prod stack file as preflight reads it. */
export function prodStackFile(): StackFileConfig {
    return readStackFile(projectDir, "prod");
}

/** The prod stack file with some keys replaced (a JSON-able value) or removed (`undefined`). */
export function prodWith(changes: Record<string, unknown>, secretKeys?: (keys: string[]) => string[]): StackFileConfig {
    const file = prodStackFile();
    const config = { ...file.config };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete config[key];
        else config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { ...file, config, secretKeys: secretKeys ? secretKeys(file.secretKeys) : file.secretKeys };
}

/** A JSON config value of the prod stack, parsed. */
export function prodValue(key: string): unknown {
    const text = prodStackFile().config[key];
    if (text === undefined) throw new Error(`prod stack has no ${key}`);
    return JSON.parse(text);
}
