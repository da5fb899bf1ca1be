import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * Puts a stand-in `pulumi` first on PATH for the calling file's tests: it prints the arguments it was given, so a
 * command's default dependencies can be seen asking the CLI the right question without a Pulumi CLI or a stack.
 */
export function useEchoingPulumi(): void {
    let dir: string | undefined;
    let savedPath: string | undefined;
    beforeAll(() => {
        dir = mkdtempSync(path.join(tmpdir(), "echoing-pulumi-"));
        const script = path.join(dir, "pulumi");
        writeFileSync(script, '#!/bin/sh\necho "$*"\n');
        chmodSync(script, 0o755);
        savedPath = process.env["PATH"];
        process.env["PATH"] = `${dir}${path.delimiter}${savedPath ?? ""}`;
    });
    afterAll(() => {
        process.env["PATH"] = savedPath;
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });
}
