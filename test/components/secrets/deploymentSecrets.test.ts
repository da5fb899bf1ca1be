import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../../cli/plan/index.js";
import { DeploymentSecrets, entropyBits, opensslEquivalent, type SecretDeclaration } from "../../../components/secrets/index.js";
import { byType, settle } from "../../support/values.js";

const declarations: SecretDeclaration[] = [
    { name: "JWT_SECRET", bytes: 64, encoding: "base64", rotation: 3 },
    { name: "SESSION_SECRET", bytes: 32, encoding: "hex" },
];

describe("DeploymentSecrets", () => {
    it("generates each secret with RandomBytes as its child, keyed by name and rotation epoch", async () => {
        const run = await runUnderMocks({ project: "p", stack: "s" }, () => new DeploymentSecrets("secrets", { secrets: declarations }));
        const component = run.resources.find((r) => r.type === "vauntico:secrets:DeploymentSecrets");
        const randoms = byType(run.resources, "random:index/randomBytes:RandomBytes");
        expect(randoms.map((r) => r.name)).toEqual(["secrets-jwt_secret", "secrets-session_secret"]);
        for (const random of randoms) expect(random.parent).toBe(component?.urn);
        expect(randoms.map((r) => r.inputs["length"])).toEqual([64, 32]);
        expect(randoms.map((r) => r.inputs["keepers"])).toEqual([{ name: "JWT_SECRET", rotation: "3" }, { name: "SESSION_SECRET", rotation: "1" }]);
    });

    it("keeps every generated value a secret, in the right encoding", async () => {
        const run = await runUnderMocks({ project: "p", stack: "s" }, () => new DeploymentSecrets("secrets", { secrets: declarations }));
        const [jwt, session] = run.result.secrets;
        if (!jwt || !session) throw new Error("secrets missing");
        expect(await pulumi.isSecret(jwt.value)).toBe(true);
        expect(await pulumi.isSecret(session.value)).toBe(true);
        expect(Buffer.from(await settle(jwt.value), "base64")).toHaveLength(64);
        expect(await settle(session.value)).toMatch(/^[0-9a-f]{64}$/);
        for (const random of byType(run.resources, "random:index/randomBytes:RandomBytes")) {
            expect(random.secretPaths).toEqual(expect.arrayContaining(["outputs.base64", "outputs.hex"]));
        }
    });

    it("rejects a secret under 256 bits and duplicate names before registering children", async () => {
        await expect(runUnderMocks({ project: "p", stack: "s" }, () =>
            new DeploymentSecrets("secrets", { secrets: [{ name: "A", bytes: 16, encoding: "hex" }, { name: "A", bytes: 32, encoding: "hex" }] })))
            .rejects.toThrow(/bytes is 16; expected a whole number from 32 \(256 bits\) to 1024.*duplicate name A/);
    });

    it("describes entropy and the OpenSSL equivalent", () => {
        expect(entropyBits(32)).toBe(256);
        expect(opensslEquivalent({ bytes: 64, encoding: "base64" })).toBe("openssl rand -base64 64");
        expect(opensslEquivalent({ bytes: 32, encoding: "hex" })).toBe("openssl rand -hex 32");
    });
});
