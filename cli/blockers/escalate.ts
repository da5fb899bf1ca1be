import { type EscalationLevel, escalationPath } from "../../policy/protocol/escalation.js";
import type { TeamsConfig } from "../../stacks/config.js";
import type { Clock } from "./clock.js";
import type { GitHubClient } from "./github.js";
import { blockerLabel, escalationLabel, escalationLabelPrefix, templateDate, waivedLabel } from "./issueModel.js";
import { type IssueComment, type Repo, type TrackedIssue, blockerIssues, ensureLabels } from "./issues.js";
import type { SlackSender } from "./slack.js";
import { episodeStart } from "./sync.js";

/** Who each level brings in, from the stack's config. */
export interface EscalationPeople {
    /** `github:owner`: the organization of the teams' slugs. */
    organization: string;
    teams: TeamsConfig;
    executives: readonly string[];
    /** L4 starts this long after L3 when the blocker is still open (the stack's Grafana IRM setting). */
    incidentAfterSeconds: number;
}

/** The highest level a blocker open for `ageSeconds` has reached (0 before L1's time, which is immediate). */
export function levelReached(ageSeconds: number, incidentAfterSeconds: number, path: readonly EscalationLevel[] = escalationPath): number {
    let reached = 0;
    let lastTimed = 0;
    for (const level of path) {
        const at = level.withinSeconds ?? lastTimed + incidentAfterSeconds;
        if (level.withinSeconds !== null) lastTimed = level.withinSeconds;
        if (ageSeconds >= at) reached = level.level;
    }
    return reached;
}

function escalationMarker(level: number): string {
    return `<!-- vauntico-escalation level=${level} -->`;
}

/** The highest level already announced on the issue since `start` (0 if none). */
export function levelAnnounced(comments: readonly IssueComment[], start: Date): number {
    let highest = 0;
    for (const comment of comments) {
        const match = /^<!-- vauntico-escalation level=(\d) -->/.exec(comment.body);
        if (match?.[1] && comment.createdAt.getTime() >= start.getTime()) highest = Math.max(highest, Number(match[1]));
    }
    return highest;
}

function labelValue(issue: TrackedIssue, prefix: string): string | undefined {
    return issue.labels.find((l) => l.startsWith(prefix))?.slice(prefix.length);
}

function teamOf(issue: TrackedIssue, teams: TeamsConfig): TeamsConfig["Kilo"] | undefined {
    const name = labelValue(issue, "team:");
    return name === "kilo" ? teams.Kilo : name === "cline" ? teams.Cline : undefined;
}

/** The people a level mentions: L1 the owning team's lead; L2 both teams; L3 the executives; L4 all of them. */
export function mentionsFor(level: number, issue: TrackedIssue, people: EscalationPeople): string[] {
    const bothTeams = [people.teams.Kilo.slug, people.teams.Cline.slug].map((slug) => `@${people.organization}/${slug}`);
    const executives = people.executives.map((login) => `@${login}`);
    if (level === 1) {
        const team = teamOf(issue, people.teams);
        return team ? [`@${team.lead}`] : [people.teams.Kilo.lead, people.teams.Cline.lead].map((l) => `@${l}`);
    }
    if (level === 2) return bothTeams;
    if (level === 3) return executives;
    return [...bothTeams, ...executives];
}

function summary(issue: TrackedIssue, id: string): string {
    const severity = labelValue(issue, "severity:") ?? "unknown";
    return `${id} (severity ${severity}, phase ${labelValue(issue, "phase:") ?? "?"}, team ${labelValue(issue, "team:") ?? "?"})`;
}

/** The escalation comment for one level (its hidden marker first: it is how the level counts as announced). */
export function escalationComment(level: EscalationLevel, issue: TrackedIssue, id: string, start: Date, now: Date, people: EscalationPeople): string {
    const minutes = Math.floor((now.getTime() - start.getTime()) / 60_000);
    return [
        escalationMarker(level.level),
        `**Escalation level ${level.level}: ${level.audience}** (${level.deadline})`,
        "",
        `${mentionsFor(level.level, issue, people).join(" ")}: blocker ${summary(issue, id)} has been open since ${templateDate(start)} (${minutes} min).`,
    ].join("\n");
}

/** The Slack message for one level: no logins (they are GitHub's), the issue linked. */
export function escalationSlackText(level: EscalationLevel, issue: TrackedIssue, id: string, start: Date, now: Date): string {
    const minutes = Math.floor((now.getTime() - start.getTime()) / 60_000);
    return `:rotating_light: Blocker ${summary(issue, id)} reached escalation level ${level.level}: ${level.audience} (${level.deadline}); open ${minutes} min. <${issue.htmlUrl}|#${issue.number} ${issue.title}>`;
}

export interface EscalationNotice {
    id: string;
    issue: number;
    level: number;
}

/**
 * For every open blocker issue of the stack (waived ones excepted): each level its age has newly reached is
 * announced once — Slack first, then the issue comment that records it, then the level label moved.
 */
export async function escalateBlockers(
    client: GitHubClient,
    repo: Repo,
    stack: string,
    people: EscalationPeople,
    slack: SlackSender,
    clock: Clock,
): Promise<EscalationNotice[]> {
    const now = clock();
    const notices: EscalationNotice[] = [];
    const open = [...(await blockerIssues(client, repo, stack, blockerLabel))].filter(
        ([, issue]) => issue.state === "open" && !issue.labels.includes(waivedLabel),
    );
    for (const [id, issue] of open) {
        const { start, comments } = await episodeStart(client, repo, issue);
        const reached = levelReached((now.getTime() - start.getTime()) / 1000, people.incidentAfterSeconds);
        const announced = levelAnnounced(comments, start);
        const levels = escalationPath.filter((l) => l.level > announced && l.level <= reached);
        const last = levels.at(-1);
        if (last === undefined) continue;
        await ensureLabels(client, repo, [escalationLabel(last.level)]);
        for (const level of levels) {
            await slack(escalationSlackText(level, issue, id, start, now));
            await client.rest.issues.createComment({ ...repo, issue_number: issue.number, body: escalationComment(level, issue, id, start, now, people) });
            notices.push({ id, issue: issue.number, level: level.level });
        }
        const labels = [...issue.labels.filter((l) => !l.startsWith(escalationLabelPrefix)), escalationLabel(last.level)];
        if (!issue.labels.includes(escalationLabel(last.level)) || labels.length !== issue.labels.length) {
            await client.rest.issues.update({ ...repo, issue_number: issue.number, labels });
        }
    }
    return notices;
}
