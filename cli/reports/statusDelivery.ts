import type { Clock } from "../blockers/clock.js";
import type { GitHubClient } from "../blockers/github.js";
import { type Repo, commentsOf, ensureLabels, issuesWithLabel } from "../blockers/issues.js";
import type { SlackSender } from "../blockers/slack.js";
import { UsageError } from "../blockers/github.js";

export const statusLabel = "deployment-status";

/** Where `report status --deliver` can send the update. */
export const deliveryTargets = ["slack", "github"] as const;
export type DeliveryTarget = (typeof deliveryTargets)[number];

/** `--deliver slack,github` → the targets, or a usage error naming the flag. */
export function parseDeliver(value: string): DeliveryTarget[] {
    const names = value
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n !== "");
    const known: readonly string[] = deliveryTargets;
    const unknown = names.filter((n) => !known.includes(n));
    if (names.length === 0 || unknown.length > 0) {
        throw new UsageError(
            `--deliver: ${names.length === 0 ? "empty" : `unknown target ${unknown.map((u) => JSON.stringify(u)).join(", ")}`}; expected a comma-separated list of: ${deliveryTargets.join(", ")}`,
        );
    }
    return deliveryTargets.filter((t) => names.includes(t));
}

function trackingMarker(stack: string): string {
    return `<!-- vauntico-status-tracking stack=${stack} -->`;
}

function dailyMarker(stack: string, day: string): string {
    return `<!-- vauntico-status stack=${stack} date=${day} -->`;
}

const pinIssue = "mutation ($issueId: ID!) { pinIssue(input: { issueId: $issueId }) { issue { id } } }";

/**
 * The stack's tracking issue (found by its marker; created and pinned the first time, reopened if closed)
 * gets the day's status as a comment: today's comment edited when the status changes during the day, a new
 * comment each day, so the issue keeps the history.
 */
export async function postStatusComment(
    client: GitHubClient,
    repo: Repo,
    stack: string,
    status: string,
    clock: Clock,
): Promise<{ issue: number; comment: "created" | "updated" | "unchanged" }> {
    const marker = trackingMarker(stack);
    let tracking = (await issuesWithLabel(client, repo, statusLabel)).find((i) => i.body.includes(marker));
    if (tracking === undefined) {
        await ensureLabels(client, repo, [statusLabel]);
        const { data } = await client.rest.issues.create({
            ...repo,
            title: `Deployment status — stack ${stack}`,
            body: `${marker}\nThe daily deployment status update of stack \`${stack}\` (the protocol's Communication Protocol), one comment per day, posted by \`npm run report -- status --deliver github\`.`,
            labels: [statusLabel],
        });
        await client.graphql(pinIssue, { issueId: data.node_id });
        tracking = {
            number: data.number,
            title: data.title,
            body: data.body ?? "",
            state: "open",
            labels: [statusLabel],
            assignees: [],
            createdAt: new Date(data.created_at),
            closedAt: null,
            htmlUrl: data.html_url,
        };
    } else if (tracking.state === "closed") {
        await client.rest.issues.update({ ...repo, issue_number: tracking.number, state: "open" });
    }
    const day = clock().toISOString().slice(0, 10);
    const body = `${dailyMarker(stack, day)}\n${status}`;
    const today = (await commentsOf(client, repo, tracking.number)).find((c) => c.body.startsWith(dailyMarker(stack, day)));
    if (today === undefined) {
        await client.rest.issues.createComment({ ...repo, issue_number: tracking.number, body });
        return { issue: tracking.number, comment: "created" };
    }
    if (today.body === body) return { issue: tracking.number, comment: "unchanged" };
    await client.rest.issues.updateComment({ ...repo, comment_id: today.id, body });
    return { issue: tracking.number, comment: "updated" };
}

/** The status as one Slack message (Slack's text limit is 40,000 characters). */
export async function postStatusToSlack(slack: SlackSender, status: string): Promise<void> {
    const limit = 39_000;
    await slack(status.length > limit ? `${status.slice(0, limit)}\n… (truncated; the full update is on the tracking issue)` : status);
}
