import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { planMocks } from "../cli/plan/fakeOutputs.js";
import { readStackFile } from "../cli/plan/stackFile.js";

/**
 * Child process of the loader benchmark: loads the program entry under mocks with the prod config, through
 * the loader named in argv[2] — what the Node language host does for each `Pulumi.yaml` runtime option.
 */
async function main(): Promise<void> {
    const [loader, projectDir] = process.argv.slice(2);
    if (!loader || !projectDir) throw new Error("usage: loadProgram <compiled|ts-node-typecheck|ts-node-transpile> <projectDir>");
    const file = readStackFile(projectDir, "prod");
    await pulumi.runtime.setMocks(planMocks(), file.project, file.stack);
    process.env["PULUMI_CONFIG_SECRET_KEYS"] = JSON.stringify(file.secretKeys);
    pulumi.runtime.setAllConfig(file.config, file.secretKeys);
    let entry = path.join(projectDir, "dist/index.js");
    if (loader !== "compiled") {
        // What the language host registers for `typescript: true`: its vendored ts-node with the project's
        // TypeScript, type-checking unless PULUMI_NODEJS_TRANSPILE_ONLY=true.
        const tsNode: unknown = require(require.resolve("@pulumi/pulumi/vendor/ts-node@7.0.1"));
        if (typeof tsNode !== "object" || tsNode === null || !("register" in tsNode) || typeof tsNode.register !== "function") throw new Error("no ts-node");
        tsNode.register({
            compiler: "typescript",
            transpileOnly: loader === "ts-node-transpile",
            project: path.join(projectDir, "tsconfig.json"),
            compilerOptions: {},
        });
        entry = path.join(projectDir, "index.ts");
    }
    require(entry);
    await pulumi.runtime.disconnect();
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
});
