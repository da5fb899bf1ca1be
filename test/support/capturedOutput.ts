import { afterEach, beforeEach, vi } from "vitest";

/** What a command wrote to stdout and stderr in the current test; the working directory is restored after each. */
export interface CapturedOutput {
    stdout: string;
    stderr: string;
}

/** Captures process output for every test of the calling file (installs beforeEach/afterEach hooks). */
export function captureOutput(): CapturedOutput {
    const captured: CapturedOutput = { stdout: "", stderr: "" };
    const cwd = process.cwd();
    beforeEach(() => {
        captured.stdout = "";
        captured.stderr = "";
        vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => { captured.stdout += String(chunk); return true; });
        vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => { captured.stderr += String(chunk); return true; });
    });
    afterEach(() => {
        vi.restoreAllMocks();
        process.chdir(cwd);
    });
    return captured;
}
