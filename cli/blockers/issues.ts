import type { GitHubClient } from "./github.js";
import { parseBlockerMarker } from "./issueModel.js";

export interface Repo {
    owner: string;
    repo: string;
}

/** The parts of a GitHub issue the blocker commands read. */
export interface TrackedIssue {
    number: number;
    title: string;
    body: string;
    state: "open" | "closed";
    labels: string[];
    assignees: string[];
    createdAt: Date;
    closedAt: Date | null;
    htmlUrl: string;
}

export interface IssueComment {
    id: number;
    body: string;
    createdAt: Date;
}

type ListedIssue = Awaited<ReturnType<GitHubClient["rest"]["issues"]["get"]>>["data"];

function trackedIssue(issue: ListedIssue): TrackedIssue {
    return {
        number: issue.number,
        title: issue.title,
        body: issue.body ?? "",
        state: issue.state === "closed" ? "closed" : "open",
        labels: issue.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter((name) => name !== ""),
        assignees: (issue.assignees ?? []).map((a) => a.login),
        createdAt: new Date(issue.created_at),
        closedAt: issue.closed_at ? new Date(issue.closed_at) : null,
        htmlUrl: issue.html_url,
    };
}

/** Every issue (open and closed) carrying `label`, pull requests left out. */
export async function issuesWithLabel(client: GitHubClient, repo: Repo, label: string): Promise<TrackedIssue[]> {
    const issues = await client.paginate(client.rest.issues.listForRepo, { ...repo, state: "all", labels: label, per_page: 100 });
    return issues.filter((issue) => issue.pull_request === undefined).map(trackedIssue);
}

/** The stack's blocker issues by blocker ID (found by their hidden marker). */
export async function blockerIssues(client: GitHubClient, repo: Repo, stack: string, label: string): Promise<Map<string, TrackedIssue>> {
    const found = new Map<string, TrackedIssue>();
    for (const issue of await issuesWithLabel(client, repo, label)) {
        const marker = parseBlockerMarker(issue.body);
        // Two issues with one marker can only come from hand edits: the oldest stays the blocker's issue.
        if (marker?.stack === stack && !found.has(marker.id)) found.set(marker.id, issue);
    }
    return found;
}

export async function commentsOf(client: GitHubClient, repo: Repo, issueNumber: number): Promise<IssueComment[]> {
    const comments = await client.paginate(client.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
    return comments.map((c) => ({ id: c.id, body: c.body ?? "", createdAt: new Date(c.created_at) }));
}

export async function createIssue(
    client: GitHubClient,
    repo: Repo,
    issue: { title: string; body: string; labels: string[]; assignees: string[] },
    retries?: number,
): Promise<TrackedIssue> {
    const { data } = await client.rest.issues.create({ ...repo, ...issue, ...(retries === undefined ? {} : { request: { retries } }) });
    return trackedIssue(data);
}

const labelColors: readonly [RegExp, string][] = [
    [/^severity:critical$/, "b60205"],
    [/^severity:high$/, "d93f0b"],
    [/^severity:/, "fbca04"],
    [/^escalation:/, "5319e7"],
    [/^phase:/, "0e8a16"],
    [/^team:/, "1d76db"],
];

/** Creates the labels in `names` the repository lacks (one read; writes only for missing ones). */
export async function ensureLabels(client: GitHubClient, repo: Repo, names: Iterable<string>): Promise<void> {
    const existing = new Set((await client.paginate(client.rest.issues.listLabelsForRepo, { ...repo, per_page: 100 })).map((l) => l.name.toLowerCase()));
    for (const name of [...new Set(names)].sort()) {
        if (existing.has(name.toLowerCase())) continue;
        const color = labelColors.find(([pattern]) => pattern.test(name))?.[1] ?? "ededed";
        await client.rest.issues.createLabel({ ...repo, name, color, description: "vauntico-deploy blocker tracking" });
    }
}
