import Bottleneck from "bottleneck";
import { gateById, violationMessage } from "../../../policy/gates/index.js";
import { protocol } from "../../../policy/protocol/index.js";
import type { GateId } from "../../../policy/protocol/gateIds.js";
import { type GateReportInput, type Verdict, emptyLedgerView } from "../../../cli/analyzer/index.js";
import { githubClient, type GitHubClient } from "../../../cli/blockers/github.js";
import type { TeamsConfig } from "../../../stacks/config.js";
import { type GitHubDouble, startGitHubDouble } from "../../doubles/github.js";

export const token = "ghp_TESTTOKENvauntico0000000000000000000";
export const owner = "vauntico";
export const repoName = "vauntico-deploy";
export const repo = { owner, repo: repoName };

export const teams: TeamsConfig = {
    Kilo: { slug: "kilo-dev", lead: "kilo-dev-lead", members: ["kilo-dev-lead", "kilo-dev-engineer"] },
    Cline: { slug: "cline-ops", lead: "cline-ops-lead", members: ["cline-ops-lead", "cline-ops-engineer"] },
};
export const executives = ["vauntico-cto"];

/** A clock the test moves; the double stamps issues and comments with it too. */
export class TestClock {
    private at: number;
    constructor(start: string) {
        this.at = Date.parse(start);
    }
    now = (): Date => new Date(this.at);
    set(minutesAfterStart: number, start: string): void {
        this.at = Date.parse(start) + minutesAfterStart * 60_000;
    }
}

export function urn(type: string, name: string): string {
    return `urn:pulumi:prod::vauntico-deploy::${type}::${name}`;
}

/** A gate's mandatory violation, worded as the gate words it. */
export function violation(gate: GateId, resource: string | null, problem = "the check fails", enforcement: Verdict["enforcement"] = "mandatory"): Verdict {
    const meta = gateById(gate);
    return { policy: gate, phase: meta.phase, enforcement, urn: resource, message: violationMessage(meta, problem, "make it pass") };
}

export function waived(gate: GateId, resource: string | null, waiver: string): Verdict {
    const v = violation(gate, resource, "the check fails", "advisory");
    return { ...v, message: `${v.message} (${waiver})` };
}

export function gateInput(verdicts: readonly Verdict[]): GateReportInput {
    return { protocol, plan: { stack: "prod", project: "vauntico-deploy", phase: 1, resources: [] }, verdicts, ledger: emptyLedgerView() };
}

export async function startDouble(clock: TestClock): Promise<GitHubDouble> {
    return startGitHubDouble({ owner, repo: repoName, now: clock.now, users: [...teams.Kilo.members, ...teams.Cline.members], retryAfterSeconds: 1 });
}

/** The production client with waits shortened: no spacing of writes, retry-after counted in 10 ms units. */
export const fastGitHub = {
    throttle: {
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
        retryAfterBaseValue: 10,
    },
    retryAfterBaseValue: 10,
};

export function client(double: GitHubDouble, warnings: string[] = []): GitHubClient {
    return githubClient({ token, baseUrl: double.url, ...fastGitHub, warn: (m) => warnings.push(m) });
}
