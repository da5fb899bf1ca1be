import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { launchPack } from "../../../cli/analyzer/packLaunch.js";
import { livePackProcesses } from "../../../cli/analyzer/packProcess.js";
import { PrestartedPolicyPack } from "../../../cli/analyzer/prestart.js";
import { readStackFile, redactedConfig } from "../../../cli/plan/stackFile.js";
import { exitSignal } from "../../support/commandProcess.js";
import { projectDir } from "../../support/stackFiles.js";

describe("PrestartedPolicyPack.cancel", () => {
    it("kills a pack still starting (a command whose plan failed does not wait for it to load)", async () => {
        const file = readStackFile(projectDir, "prod");
        const identity = { project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys };
        const abort = new AbortController();
        let child: ChildProcess | undefined;
        let cancelled: Promise<void> | undefined;
        const launched = launchPack({ ...identity, signal: abort.signal }, () => {
            child = [...livePackProcesses()][0];
            cancelled = gates.cancel();
        });
        const gates = new PrestartedPolicyPack(identity, { launched, abort });
        await launched.catch(() => undefined);
        await cancelled;
        expect(child && (await exitSignal(child))).toBe("SIGTERM");
        expect(livePackProcesses().size).toBe(0);
    }, 60_000);
});
