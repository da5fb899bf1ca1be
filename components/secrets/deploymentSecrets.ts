import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { minimumSecretBits } from "../../policy/protocol/contract.js";

export type SecretEncoding = "hex" | "base64";

/** One secret of the deployment's set. */
export interface SecretDeclaration {
    /** Name the application knows it by, e.g. `JWT_SECRET`; also the environment secret's name. */
    name: string;
    /** Length in bytes; at least 32 (256 bits). */
    bytes: number;
    /** How the bytes are rendered for the application. */
    encoding: SecretEncoding;
    /** Rotation epoch: changing it generates a new value. Default 1. */
    rotation?: number;
    /** What the secret is for, shown in the secrets report. */
    description?: string;
}

export interface DeploymentSecretsArgs {
    /** The secrets to generate; names must be unique. */
    secrets: SecretDeclaration[];
}

/** A generated secret: its declaration and its value, always a Pulumi secret. */
export interface GeneratedSecret {
    declaration: Required<Omit<SecretDeclaration, "description">> & { description?: string };
    value: pulumi.Output<string>;
}

/** The protocol's smallest secret (`minimumSecretBits`), in bytes. */
export const minimumSecretBytes = minimumSecretBits / 8;
/** Largest secret generated: 1 KiB, far inside GitHub's 48 KB value limit once encoded. */
export const maximumSecretBytes = 1024;

/** Bits of entropy of a secret of `bytes` random bytes. */
export function entropyBits(bytes: number): number {
    return bytes * 8;
}

/** The OpenSSL command that produces the same kind of value, for operators who know that form. */
export function opensslEquivalent(declaration: Pick<SecretDeclaration, "bytes" | "encoding">): string {
    return `openssl rand -${declaration.encoding === "hex" ? "hex" : "base64"} ${declaration.bytes}`;
}

/** Every reason a secret set is unacceptable; empty when it is fine. */
export function secretSetProblems(secrets: readonly SecretDeclaration[]): string[] {
    const problems: string[] = [];
    const names = new Set<string>();
    secrets.forEach((secret, index) => {
        if (!Number.isInteger(secret.bytes) || secret.bytes < minimumSecretBytes || secret.bytes > maximumSecretBytes) {
            problems.push(
                `secrets[${index}] (${secret.name}): bytes is ${secret.bytes}; expected a whole number from ${minimumSecretBytes} (${minimumSecretBits} bits) to ${maximumSecretBytes}`,
            );
        }
        if (names.has(secret.name)) problems.push(`secrets[${index}]: duplicate name ${secret.name}`);
        names.add(secret.name);
    });
    return problems;
}

/**
 * The deployment's cryptographic secrets, generated from a cryptographic source (`random.RandomBytes`, which
 * reads the OS CSPRNG) and rotated by bumping a declaration's rotation epoch, a keeper of the random resource.
 */
export class DeploymentSecrets extends pulumi.ComponentResource {
    public static readonly type = "vauntico:secrets:DeploymentSecrets";

    /** The generated secrets, in declaration order. */
    public readonly secrets: GeneratedSecret[];
    /** The declared names, in order. */
    public readonly names: string[];

    constructor(name: string, args: DeploymentSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(DeploymentSecrets.type, name, {}, opts);
        const problems = secretSetProblems(args.secrets);
        if (problems.length > 0) throw new pulumi.ResourceError(`Invalid secret set: ${problems.join("; ")}`, this);

        this.secrets = args.secrets.map((secret) => {
            const declaration = { ...secret, rotation: secret.rotation ?? 1 };
            const bytes = new random.RandomBytes(
                `${name}-${secret.name.toLowerCase()}`,
                {
                    length: secret.bytes,
                    keepers: { name: secret.name, rotation: String(declaration.rotation) },
                },
                { parent: this },
            );
            const value = secret.encoding === "hex" ? bytes.hex : bytes.base64;
            return { declaration, value: pulumi.secret(value) };
        });
        this.names = this.secrets.map((s) => s.declaration.name);

        // The declarations (never the values) are outputs, so reports and gates read what was registered.
        this.registerOutputs({ names: this.names, declarations: this.secrets.map((s) => s.declaration) });
    }
}
