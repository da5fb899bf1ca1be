import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { configEnvironmentProblem } from "../analyzer/configEnvironment.js";
import { neededCredentials } from "../../stacks/credentials.js";
import { StackFileError } from "../errors.js";
import { ledgerFolderProblem } from "../../policy/protocol/index.js";

/** A stack's config as the Pulumi CLI would hand it to the program, minus decryption. */
export interface StackFileConfig {
    project: string;
    stack: string;
    /** Every key as a string, structured values as JSON, `secure:` values replaced by placeholders. */
    config: Record<string, string>;
    /** Keys whose values were `secure:` in the stack file, and the stand-ins. */
    secretKeys: string[];
    /** Credentials the settings need that the file lacks: stood in by secret placeholders (a real run needs each). */
    standIns?: string[];
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

/** Pulumi's rule for stack names (`tokens.IsName`, at most 100 characters): the name becomes a file name and part of every URN. */
export const stackNamePattern = /^[A-Za-z0-9_.-]{1,100}$/;
export const stackNameRule = "at most 100 letters, digits, '-', '_' or '.' (Pulumi's stack name rule)";

/**
 * The problem with a stack name, or undefined: Pulumi's rule, and a name its ledger folder can have. `label`
 * says where the name came from (the flag, or a stack file's name). The name is shown: never a credential.
 */
export function stackNameProblem(stack: string, label = "--stack"): string | undefined {
    const shown = stack.length > 60 ? `${JSON.stringify(stack.slice(0, 57))}… (${stack.length} characters)` : JSON.stringify(stack);
    if (!stackNamePattern.test(stack)) return `${label} ${shown}: expected ${stackNameRule}`;
    const folder = ledgerFolderProblem(stack);
    return folder === undefined ? undefined : `${label} ${shown}: ${folder}`;
}

/**
 * Parses a YAML file. A syntax error is reported by file, line, column and kind only: the parser's own
 * message quotes the offending source lines, which may hold a credential.
 */
function readYaml(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        const code = error instanceof Error && "code" in error ? String(error.code) : "unreadable";
        throw new StackFileError(`${file}: cannot be read (${code})`);
    }
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
    const [first] = document.errors;
    if (first) {
        const at = lineCounter.linePos(first.pos[0]);
        const where = `${at.line}:${at.col}`;
        const kind = first.code.toLowerCase().replace(/_/g, " ");
        const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more)` : "";
        throw new StackFileError(`${file}:${where}: YAML syntax error: ${kind}${more} (the source line is not shown: it may hold a credential)`);
    }
    try {
        return document.toJS({ maxAliasCount: 100 });
    } catch (error) {
        throw new StackFileError(`${file}: YAML cannot be read: ${error instanceof Error ? error.name : "error"} (aliases nested too deep or unresolved)`);
    }
}

/** Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from `projectDir`. */
export function readStackFile(projectDir: string, stack: string): StackFileConfig {
    const nameProblem = stackNameProblem(stack);
    if (nameProblem) throw new StackFileError(nameProblem);
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    const project = readYaml(projectFile);
    if (!isRecord(project) || typeof project["name"] !== "string") throw new StackFileError(`${projectFile}: no project name`);

    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) throw new StackFileError(`stack file ${stackFile} not found; expected Pulumi.<stack>.yaml for --stack ${stack}`);
    const document = readYaml(stackFile);
    if (document !== null && document !== undefined && !isRecord(document))
        throw new StackFileError(`${stackFile}: expected a YAML mapping with a \`config:\` key`);
    const section = isRecord(document) ? document["config"] : undefined;
    if (section !== null && section !== undefined && !isRecord(section)) throw new StackFileError(`${stackFile}: \`config:\` must be a mapping of key: value`);
    const entries = isRecord(section) ? section : {};

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries(entries)) {
        // A key without a namespace belongs to the project, as the CLI reads it.
        const key = rawKey.includes(":") ? rawKey : `${project["name"]}:${rawKey}`;
        if (isSecure(value)) {
            config[key] = placeholderFor(key, entries);
            secretKeys.push(key);
        } else if (hasNestedSecure(value)) {
            throw new StackFileError(`${stackFile}: ${key} holds a secure value inside an object; keep credentials in top-level keys`);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    // Preflight runs offline: a credential the settings need and the file lacks is stood in for, and named.
    const standIns: string[] = [];
    for (const { key } of neededCredentials(config)) {
        if (config[key] !== undefined) continue;
        config[key] = placeholderFor(key, entries);
        secretKeys.push(key);
        standIns.push(key);
    }
    const sizeProblem = configEnvironmentProblem(redactedConfig({ config, secretKeys }));
    if (sizeProblem) throw new StackFileError(`${stackFile}: ${sizeProblem}`);
    return { project: project["name"], stack, config, secretKeys, standIns };
}

/** The config with every secure value shown as `"[secret]"`: what reports, the pack and logs may see. */
export function redactedConfig(file: Pick<StackFileConfig, "config" | "secretKeys">): Record<string, string> {
    const secret = new Set(file.secretKeys);
    return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, secret.has(k) ? "[secret]" : v]));
}
