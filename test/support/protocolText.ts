import { readFileSync } from "node:fs";
import * as path from "node:path";
import { sharedDir } from "./stackFiles.js";

/** The handoff protocol as written (`../shared/protocol/HANDOFF_PROTOCOL.md`), the source the code is checked against. */
export const protocolText = readFileSync(path.join(sharedDir, "protocol/HANDOFF_PROTOCOL.md"), "utf8");

/** The phase whose section of the protocol text lists `criterion` as a bullet; throws unless exactly one does. */
export function phaseListing(criterion: string): number {
    const found = new Set<number>();
    let phase: number | undefined;
    for (const line of protocolText.split("\n")) {
        const heading = /^#{1,3} /.test(line) ? /^### Phase (\d): /.exec(line) : null;
        if (/^#{1,3} /.test(line)) phase = heading ? Number(heading[1]) : undefined;
        if (phase !== undefined && line.replace(/^\s*-\s*(\[ \]\s*)?/, "").trim() === criterion) found.add(phase);
    }
    if (found.size !== 1) throw new Error(`criterion ${JSON.stringify(criterion)} is listed under ${found.size} phases of the protocol text`);
    return [...found][0] ?? 0;
}
