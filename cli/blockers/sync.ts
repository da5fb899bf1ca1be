import type { Clock } from "./clock.js";
import type { GitHubClient } from "./github.js";
import { type DesiredBlockers, blockerLabel, escalationLabel, escalationLabelPrefix, templateDate, waivedLabel } from "./issueModel.js";
import { type Repo, type TrackedIssue, blockerIssues, commentsOf, createIssue, ensureLabels } from "./issues.js";

/** Marks the comment that reopens a blocker: the escalation clock restarts there. */
export const reopenMarker = "<!-- vauntico-blocker-reopened -->";

export interface SyncResult {
    created: string[];
    updated: string[];
    reopened: string[];
    closed: string[];
    waived: string[];
    unchanged: string[];
}

/** Labels the sync owns; any other label a person put on the issue stays. */
function isManagedLabel(name: string): boolean {
    return name === blockerLabel || name === waivedLabel || /^(severity|phase|team):/.test(name);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
    const left = [...new Set(a)].sort();
    const right = [...new Set(b)].sort();
    return left.length === right.length && left.every((value, index) => value === right[index]);
}

function isServerOrConnectionError(error: unknown): boolean {
    return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" && error.status >= 500;
}

/**
 * Brings the stack's blocker issues in line with the verdicts: one issue per blocker (created, updated in
 * place, or reopened), issues of fixed blockers closed with a comment, waived ones closed naming the waiver.
 * Writes only what differs: the same verdicts twice make no write the second time.
 */
export async function syncBlockers(client: GitHubClient, repo: Repo, desired: DesiredBlockers, clock: Clock): Promise<SyncResult> {
    const result: SyncResult = { created: [], updated: [], reopened: [], closed: [], waived: [], unchanged: [] };
    const existing = await blockerIssues(client, repo, desired.stack, blockerLabel);
    const wanted = new Set(desired.blockers.map((b) => b.id));
    const waivedById = new Map(desired.waived.map((w) => [w.id, w.waiver]));
    const toClose = [...existing].filter(([id, issue]) => issue.state === "open" && !wanted.has(id));

    const labelsUsed = new Set<string>(desired.blockers.flatMap((b) => b.labels));
    if (desired.blockers.some((b) => existing.get(b.id)?.state !== "open")) labelsUsed.add(escalationLabel(1));
    if (toClose.some(([id]) => waivedById.has(id))) labelsUsed.add(waivedLabel);
    if (labelsUsed.size > 0) await ensureLabels(client, repo, labelsUsed);

    for (const blocker of desired.blockers) {
        const issue = existing.get(blocker.id);
        const assignees = blocker.assignee === undefined ? [] : [blocker.assignee];
        if (issue === undefined) {
            const created = await createOnce(client, repo, desired.stack, blocker.id, {
                title: blocker.title,
                body: blocker.body(clock()),
                labels: [...blocker.labels, escalationLabel(1)],
                assignees,
            });
            result.created.push(`${blocker.id} #${created.number}`);
            continue;
        }
        const body = blocker.body(issue.createdAt);
        const kept = issue.labels.filter((l) => !isManagedLabel(l) && (issue.state === "open" || !l.startsWith(escalationLabelPrefix)));
        const labels = [...blocker.labels, ...kept, ...(issue.state === "open" ? [] : [escalationLabel(1)])];
        const wantedAssignees = [...new Set([...issue.assignees, ...assignees])];
        if (issue.state === "closed") {
            await client.rest.issues.createComment({
                ...repo,
                issue_number: issue.number,
                body: `${reopenMarker}\nReopened: blocker ${blocker.id} is back (the gate fails again) at ${templateDate(clock())}. The escalation clock restarts at level 1.`,
            });
            await client.rest.issues.update({
                ...repo,
                issue_number: issue.number,
                state: "open",
                state_reason: "reopened",
                title: blocker.title,
                body,
                labels,
                assignees: wantedAssignees,
            });
            result.reopened.push(`${blocker.id} #${issue.number}`);
            continue;
        }
        const changes = {
            ...(issue.title === blocker.title ? {} : { title: blocker.title }),
            ...(issue.body === body ? {} : { body }),
            ...(sameSet(issue.labels, labels) ? {} : { labels }),
            ...(sameSet(issue.assignees, wantedAssignees) ? {} : { assignees: wantedAssignees }),
        };
        if (Object.keys(changes).length === 0) {
            result.unchanged.push(`${blocker.id} #${issue.number}`);
        } else {
            await client.rest.issues.update({ ...repo, issue_number: issue.number, ...changes });
            result.updated.push(`${blocker.id} #${issue.number}`);
        }
    }

    for (const [id, issue] of toClose) {
        const waiver = waivedById.get(id);
        const body =
            waiver === undefined
                ? `Resolved: the gate behind ${id} passes at ${templateDate(clock())}. Closing.`
                : `Waived: ${id} is covered by a valid waiver — ${waiver}. Closing; it reopens if the gate fails again without a valid waiver.`;
        await client.rest.issues.createComment({ ...repo, issue_number: issue.number, body });
        await client.rest.issues.update({
            ...repo,
            issue_number: issue.number,
            state: "closed",
            state_reason: waiver === undefined ? "completed" : "not_planned",
            ...(waiver === undefined ? {} : { labels: [...issue.labels.filter((l) => l !== waivedLabel), waivedLabel] }),
        });
        (waiver === undefined ? result.closed : result.waived).push(`${id} #${issue.number}`);
    }
    return result;
}

/**
 * Creates a blocker's issue without ever making two: the create is sent once without the retry plugin; if
 * the answer is lost (5xx or a dropped connection) the issue may exist anyway, so the marker is looked for
 * before sending it again (this time with the plugin's retries).
 */
async function createOnce(
    client: GitHubClient,
    repo: Repo,
    stack: string,
    id: string,
    issue: { title: string; body: string; labels: string[]; assignees: string[] },
): Promise<TrackedIssue> {
    try {
        return await createIssue(client, repo, issue, 0);
    } catch (error) {
        if (!isServerOrConnectionError(error)) throw error;
        const found = (await blockerIssues(client, repo, stack, blockerLabel)).get(id);
        return found ?? (await createIssue(client, repo, issue));
    }
}

/** The start of a blocker's current episode: its creation, or the last time the sync reopened it. */
export async function episodeStart(
    client: GitHubClient,
    repo: Repo,
    issue: TrackedIssue,
): Promise<{ start: Date; comments: Awaited<ReturnType<typeof commentsOf>> }> {
    const comments = await commentsOf(client, repo, issue.number);
    const reopenedAt = comments.filter((c) => c.body.startsWith(reopenMarker)).map((c) => c.createdAt.getTime());
    return { start: new Date(Math.max(issue.createdAt.getTime(), ...reopenedAt)), comments };
}
