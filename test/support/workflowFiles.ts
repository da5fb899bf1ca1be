import * as fs from "node:fs";
import * as path from "node:path";
import { isScalar, parse, parseDocument, visit } from "yaml";
import { projectDir } from "./stackFiles.js";
import { isRecord } from "./values.js";

export const workflowsDir = path.join(projectDir, ".github", "workflows");

export interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}

export interface Job {
    "runs-on"?: string;
    environment?: unknown;
    permissions?: unknown;
    if?: string;
    steps: Step[];
}

export interface Workflow {
    file: string;
    text: string;
    document: Record<string, unknown>;
    jobs: Record<string, Job>;
}

function toStep(value: unknown): Step {
    if (!isRecord(value)) throw new Error(`step is not a mapping: ${JSON.stringify(value)}`);
    const step: Step = {};
    if (typeof value["name"] === "string") step.name = value["name"];
    if (typeof value["uses"] === "string") step.uses = value["uses"];
    if (typeof value["run"] === "string") step.run = value["run"];
    if (typeof value["if"] === "string") step.if = value["if"];
    if (isRecord(value["with"])) step.with = value["with"];
    if (isRecord(value["env"])) step.env = value["env"];
    return step;
}

function toJob(name: string, value: unknown): Job {
    if (!isRecord(value)) throw new Error(`job ${name} is not a mapping`);
    const steps = value["steps"];
    if (!Array.isArray(steps)) throw new Error(`job ${name} has no steps`);
    const job: Job = { steps: steps.map(toStep) };
    if (typeof value["runs-on"] === "string") job["runs-on"] = value["runs-on"];
    if ("environment" in value) job.environment = value["environment"];
    if ("permissions" in value) job.permissions = value["permissions"];
    if (typeof value["if"] === "string") job.if = value["if"];
    return job;
}

export function readWorkflow(file: string): Workflow {
    const text = fs.readFileSync(path.join(workflowsDir, file), "utf8");
    // GitHub reads workflows as YAML 1.2 core schema: `on` stays a string key.
    const document: unknown = parse(text);
    if (!isRecord(document)) throw new Error(`${file} is not a YAML mapping`);
    const jobs = document["jobs"];
    if (!isRecord(jobs)) throw new Error(`${file} has no jobs`);
    return { file, text, document, jobs: Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, toJob(name, job)])) };
}

export function workflowFiles(): string[] {
    return fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
}

/** Every `uses:` of a workflow with the comment written after it (the version the SHA stands for). */
export function usesWithComments(text: string): { uses: string; comment: string | undefined }[] {
    const found: { uses: string; comment: string | undefined }[] = [];
    visit(parseDocument(text), {
        Pair(_key, pair) {
            if (isScalar(pair.key) && pair.key.value === "uses" && isScalar(pair.value) && typeof pair.value.value === "string") {
                found.push({ uses: pair.value.value, comment: pair.value.comment?.trim() });
            }
        },
    });
    return found;
}
