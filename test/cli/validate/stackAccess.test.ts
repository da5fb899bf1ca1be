import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { processStackAccess, pulumiCli, stackOutputOf } from "../../../cli/validate/stackAccess.js";

// A stand-in `pulumi` on PATH that prints its arguments, fails when asked for the key "missing", prints 3 MiB for "big".
let dir: string;
let savedPath: string | undefined;
beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "fake-pulumi-"));
    const script = path.join(dir, "pulumi");
    writeFileSync(
        script,
        '#!/bin/sh\ncase "$*" in *missing*) exit 1;; *silent*) exit 0;; *big*) head -c 3145728 /dev/zero | tr "\\0" x; exit 0;; esac\necho "  $*  "\n',
    );
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

    it("reads an answer of megabytes whole (a stack export; Node's default buffer is 1 MiB)", async () => {
        const big = await pulumiCli(["stack", "export", "big"]);
        expect(big?.length).toBe(3 * 1024 * 1024);
    });
});

describe("processStackAccess", () => {
    it("writes to the process's own stdout and stderr", () => {
        const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
        const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
        try {
            const access = processStackAccess();
            access.stdout("report\n");
            access.stderr("problem\n");
            expect(out.mock.calls).toEqual([["report\n"]]);
            expect(err.mock.calls).toEqual([["problem\n"]]);
            expect(access.env).toBe(process.env);
            expect(access.projectDir).toBe(process.cwd());
        } finally {
            out.mockRestore();
            err.mockRestore();
        }
    });
});
