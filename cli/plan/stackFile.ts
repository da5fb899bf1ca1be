import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** A stack's config as the Pulumi CLI would hand it to the program, minus decryption. */
export interface StackFileConfig {
    project: string;
    stack: string;
    /** Every key as a string, structured values as JSON, `secure:` values replaced by placeholders. */
    config: Record<string, string>;
    /** Keys whose values were `secure:` in the stack file. */
    secretKeys: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecure(value: unknown): boolean {
    return isRecord(value) && typeof value["secure"] === "string" && Object.keys(value).length === 1;
}

/**
 * What preflight puts in place of a `secure:` value it cannot decrypt. Payment keys keep the prefix of the
 * configured payment mode, so mode checks see a key of the mode the stack file declares.
 */
export function placeholderFor(key: string, config: Record<string, unknown>): string {
    if (key === "vauntico:stripeSecretKey" || key === "vauntico:paystackSecretKey") {
        const payments = config["vauntico:payments"];
        const mode = isRecord(payments) && payments["mode"] === "live" ? "live" : "test";
        return `sk_${mode}_preflightplaceholder`;
    }
    return `preflight-placeholder-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

function hasNestedSecure(value: unknown): boolean {
    if (isSecure(value)) return true;
    if (Array.isArray(value)) return value.some(hasNestedSecure);
    if (isRecord(value)) return Object.values(value).some(hasNestedSecure);
    return false;
}

/** Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from `projectDir`. */
export function readStackFile(projectDir: string, stack: string): StackFileConfig {
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    const project: unknown = parse(fs.readFileSync(projectFile, "utf8"));
    if (!isRecord(project) || typeof project["name"] !== "string") throw new Error(`${projectFile}: no project name`);

    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) throw new Error(`stack file ${stackFile} not found; expected Pulumi.<stack>.yaml for --stack ${stack}`);
    const document: unknown = parse(fs.readFileSync(stackFile, "utf8"));
    const entries = isRecord(document) && isRecord(document["config"]) ? document["config"] : {};

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries(entries)) {
        // A key without a namespace belongs to the project, as the CLI reads it.
        const key = rawKey.includes(":") ? rawKey : `${project["name"]}:${rawKey}`;
        if (isSecure(value)) {
            config[key] = placeholderFor(key, entries);
            secretKeys.push(key);
        } else if (hasNestedSecure(value)) {
            throw new Error(`${stackFile}: ${key} holds a secure value inside an object; keep credentials in top-level keys`);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { project: project["name"], stack, config, secretKeys };
}

/** The config with every secure value shown as `"[secret]"`: what reports, the pack and logs may see. */
export function redactedConfig(file: Pick<StackFileConfig, "config" | "secretKeys">): Record<string, string> {
    const secret = new Set(file.secretKeys);
    return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, secret.has(k) ? "[secret]" : v]));
}
