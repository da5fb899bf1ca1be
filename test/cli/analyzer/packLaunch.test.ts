import { describe, expect, it } from "vitest";
import { maxEnvironmentStringBytes } from "../../../cli/analyzer/configEnvironment.js";
import { launchPack } from "../../../cli/analyzer/packLaunch.js";

const listeners = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "TCPServerWrap").length;

describe("launchPack failures end cleanly", () => {
    it("a config over the PULUMI_CONFIG limit is refused, naming the limit and the largest keys, and the engine listener is closed", async () => {
        const before = listeners();
        const config = { "vauntico:phase": "1", "vauntico:environment": "x".repeat(maxEnvironmentStringBytes), "github:owner": "vauntico" };
        await expect(launchPack({ project: "p", stack: "s", config })).rejects.toThrow(
            /cannot start the policy pack: .*over the 131072-byte limit.*largest keys: vauntico:environment \(131074 bytes\), github:owner \(10 bytes\), vauntico:phase \(3 bytes\)/,
        );
        // The engine's server shuts down asynchronously after the rejection.
        for (let i = 0; i < 40 && listeners() > before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(listeners()).toBe(before);
    });

    it("the limit is inclusive: PULUMI_CONFIG= + JSON + NUL of exactly the limit passes the check", async () => {
        const { configEnvironmentProblem, pulumiConfigBytes } = await import("../../../cli/analyzer/configEnvironment.js");
        const base = { k: "" };
        const fill = maxEnvironmentStringBytes - pulumiConfigBytes(base);
        expect(pulumiConfigBytes({ k: "x".repeat(fill) })).toBe(maxEnvironmentStringBytes);
        expect(configEnvironmentProblem({ k: "x".repeat(fill - 1) })).toBeUndefined();
        expect(configEnvironmentProblem({ k: "x".repeat(fill) })).toBeUndefined();
        expect(configEnvironmentProblem({ k: "x".repeat(fill + 1) })).toMatch(/over the 131072-byte limit/);
    });

    it("a pack folder that is not built says how to build it", async () => {
        await expect(launchPack({ project: "p", stack: "s", config: {}, packFolder: "/nonexistent/policy" })).rejects.toThrow(
            "is not built: run `npm run build`",
        );
    });
});
