import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { launchPack } from "../../../cli/analyzer/packLaunch.js";
import { packCompileCache } from "../../../cli/analyzer/packProcess.js";
import { readStackFile, redactedConfig } from "../../../cli/plan/stackFile.js";
import { projectDir } from "../../support/stackFiles.js";

describe("packCompileCache", () => {
    it("gives the pack a folder of its own inside the command's compile cache", () => {
        expect(packCompileCache("/cache")).toEqual({ NODE_COMPILE_CACHE: path.join("/cache", "policy-pack") });
    });

    it("gives none when the command has none", () => {
        expect(packCompileCache(undefined)).toEqual({});
        expect(packCompileCache("")).toEqual({});
    });
});

describe("a stopped pack exits normally and keeps its compile cache apart", () => {
    const saved = process.env["NODE_COMPILE_CACHE"];
    let cache: string | undefined;
    afterEach(() => {
        if (saved === undefined) delete process.env["NODE_COMPILE_CACHE"];
        else process.env["NODE_COMPILE_CACHE"] = saved;
        if (cache) rmSync(cache, { recursive: true, force: true });
    });

    it("closing its stdin ends it with code 0, which writes its code cache into its own folder only", async () => {
        cache = mkdtempSync(path.join(tmpdir(), "vauntico-compile-cache-"));
        process.env["NODE_COMPILE_CACHE"] = cache;
        const file = readStackFile(projectDir, "prod");
        const launched = await launchPack({ project: file.project, stack: file.stack, config: redactedConfig(file), secretKeys: file.secretKeys });
        const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
            launched.pack.child.once("exit", (code, signal) => resolve([code, signal]));
        });
        const started = Date.now();
        await launched.stop();
        // A signal (SIGTERM after the grace period) would end it without writing anything.
        expect(await exited).toEqual([0, null]);
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(readdirSync(cache)).toEqual(["policy-pack"]);
        const [versioned] = readdirSync(path.join(cache, "policy-pack"));
        expect(versioned).toBeDefined();
        // Every module the pack loaded: @pulumi/pulumi, @pulumi/policy, gRPC and the gates (about 1,000).
        expect(readdirSync(path.join(cache, "policy-pack", versioned ?? "")).length).toBeGreaterThan(500);
    }, 60_000);
});
