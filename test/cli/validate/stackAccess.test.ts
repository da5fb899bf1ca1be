import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processStackAccess, pulumiCli, stackOutputOf } from "../../../cli/validate/stackAccess.js";

// A stand-in `pulumi` on PATH that prints its arguments, or fails when asked for the key "missing".
let dir: string;
let savedPath: string | undefined;
beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "fake-pulumi-"));
    const script = path.join(dir, "pulumi");
    writeFileSync(script, '#!/bin/sh\ncase "$*" in *missing*) exit 1;; *silent*) exit 0;; esac\necho "  $*  "\n');
    chmodSync(script, 0o755);
    savedPath = process.env["PATH"];
    process.env["PATH"] = `${dir}${path.delimiter}${savedPath ?? ""}`;
});
afterAll(() => {
    process.env["PATH"] = savedPath;
    rmSync(dir, { recursive: true, force: true });
});

describe("the Pulumi CLI as validations use it", () => {
    it("asks for a stack output, as JSON and with secrets only when asked", async () => {
        expect(await stackOutputOf("prod", "webhookEndpoints")).toBe("stack output webhookEndpoints --stack prod");
        expect(await stackOutputOf("prod", "secret", { json: true, showSecrets: true })).toBe("stack output secret --json --stack prod --show-secrets");
    });

    it("asks for a decrypted config value", async () => {
        expect(await processStackAccess().configValue("prod", "vauntico:paystackSecretKey")).toBe("config get vauntico:paystackSecretKey --stack prod");
    });

    it("answers undefined when the CLI fails or prints nothing", async () => {
        expect(await pulumiCli(["config", "get", "missing"])).toBeUndefined();
        expect(await pulumiCli(["silent"])).toBeUndefined();
    });
});
