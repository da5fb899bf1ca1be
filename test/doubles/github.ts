import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type GitHubOperation, GitHubSpecValidator } from "./githubSpec.js";

/**
 * A stateful GitHub REST double on 127.0.0.1 (issues, labels, comments, assignees) for the operations the
 * blocker commands use. Every request and every response is checked against GitHub's OpenAPI description;
 * a failed check is recorded in `violations` (the tests require none). Faults are queued per route and used
 * once: a 403 secondary rate limit with `retry-after`, a 502, or a dropped connection before or after the
 * request took effect. Timestamps come from the test's clock.
 */

export type Fault = "secondary-rate-limit" | "bad-gateway" | "drop-before" | "drop-after";

interface Route {
    op: GitHubOperation;
    pattern: RegExp;
    keys: string[];
}

const routeTable: [GitHubOperation["method"], string][] = [
    ["get", "/repos/{owner}/{repo}/issues"],
    ["post", "/repos/{owner}/{repo}/issues"],
    ["patch", "/repos/{owner}/{repo}/issues/{issue_number}"],
    ["get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
    ["post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
    ["patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
    ["get", "/repos/{owner}/{repo}/labels"],
    ["post", "/repos/{owner}/{repo}/labels"],
];

const routes: Route[] = routeTable.map(([method, path]) => {
    const keys: string[] = [];
    const pattern = new RegExp(
        `^${path.replace(/\{([a-z_]+)\}/g, (_m, key: string) => {
            keys.push(key);
            return "([^/]+)";
        })}$`,
    );
    return { op: { method, path }, pattern, keys };
});

interface StoredLabel {
    id: number;
    name: string;
    color: string;
    description: string | null;
}
interface StoredIssue {
    number: number;
    title: string;
    body: string;
    state: "open" | "closed";
    stateReason: string | null;
    labels: string[];
    assignees: string[];
    createdAt: Date;
    updatedAt: Date;
    closedAt: Date | null;
}
interface StoredComment {
    id: number;
    issue: number;
    body: string;
    createdAt: Date;
    updatedAt: Date;
}

export interface RecordedRequest {
    method: string;
    path: string;
    status: number | "dropped";
    requestBody: string;
    responseBody: string;
}

export interface GitHubDouble {
    url: string;
    requests: RecordedRequest[];
    violations: string[];
    issues: StoredIssue[];
    comments: StoredComment[];
    labels: StoredLabel[];
    pinned: number[];
    /** Queues a fault for the next request matching `method path` (path template, e.g. `/repos/{owner}/{repo}/issues`). */
    fault(method: string, path: string, fault: Fault): void;
    /** Requests that change state (anything but GET), counted since `since` (an index into `requests`). */
    writesSince(since: number): RecordedRequest[];
    close(): Promise<void>;
}

export interface GitHubDoubleOptions {
    owner: string;
    repo: string;
    now: () => Date;
    /** Logins that exist (assignable). */
    users: readonly string[];
    /** Seconds a secondary rate limit asks to wait (keep it small: tests must not wait real minutes). */
    retryAfterSeconds?: number;
}

let validator: GitHubSpecValidator | undefined;
function specValidator(): GitHubSpecValidator {
    validator ??= new GitHubSpecValidator(routes.map((r) => r.op));
    return validator;
}

export async function startGitHubDouble(options: GitHubDoubleOptions): Promise<GitHubDouble> {
    const spec = specValidator();
    const requests: RecordedRequest[] = [];
    const violations: string[] = [];
    const issues: StoredIssue[] = [];
    const comments: StoredComment[] = [];
    const labels: StoredLabel[] = [];
    const pinned: number[] = [];
    const faults: { key: string; fault: Fault }[] = [];
    let nextId = 1000;
    let base = "";

    const user = (login: string) => ({
        login,
        id: 1 + [...login].reduce((sum, c) => sum + c.charCodeAt(0), 0),
        node_id: `U_${login}`,
        avatar_url: `https://avatars.githubusercontent.com/${login}`,
        gravatar_id: "",
        url: `${base}/users/${login}`,
        html_url: `https://github.com/${login}`,
        followers_url: `${base}/users/${login}/followers`,
        following_url: `${base}/users/${login}/following{/other_user}`,
        gists_url: `${base}/users/${login}/gists{/gist_id}`,
        starred_url: `${base}/users/${login}/starred{/owner}{/repo}`,
        subscriptions_url: `${base}/users/${login}/subscriptions`,
        organizations_url: `${base}/users/${login}/orgs`,
        repos_url: `${base}/users/${login}/repos`,
        events_url: `${base}/users/${login}/events{/privacy}`,
        received_events_url: `${base}/users/${login}/received_events`,
        type: "User",
        site_admin: false,
    });
    const repoUrl = () => `${base}/repos/${options.owner}/${options.repo}`;
    const labelJson = (l: StoredLabel) => ({
        id: l.id,
        node_id: `LA_${l.id}`,
        url: `${repoUrl()}/labels/${encodeURIComponent(l.name)}`,
        name: l.name,
        description: l.description,
        color: l.color,
        default: false,
    });
    const issueJson = (i: StoredIssue) => ({
        id: 50_000 + i.number,
        node_id: `I_${i.number}`,
        url: `${repoUrl()}/issues/${i.number}`,
        repository_url: repoUrl(),
        labels_url: `${repoUrl()}/issues/${i.number}/labels{/name}`,
        comments_url: `${repoUrl()}/issues/${i.number}/comments`,
        events_url: `${repoUrl()}/issues/${i.number}/events`,
        html_url: `https://github.com/${options.owner}/${options.repo}/issues/${i.number}`,
        number: i.number,
        state: i.state,
        state_reason: i.stateReason,
        title: i.title,
        body: i.body,
        user: user("vauntico-bot"),
        labels: i.labels
            .map((name) => labels.find((l) => l.name === name))
            .filter((l): l is StoredLabel => l !== undefined)
            .map(labelJson),
        assignee: i.assignees[0] === undefined ? null : user(i.assignees[0]),
        assignees: i.assignees.map(user),
        milestone: null,
        locked: false,
        comments: comments.filter((c) => c.issue === i.number).length,
        created_at: iso(i.createdAt),
        updated_at: iso(i.updatedAt),
        closed_at: i.closedAt ? iso(i.closedAt) : null,
        author_association: "NONE",
    });
    const commentJson = (c: StoredComment) => ({
        id: c.id,
        node_id: `IC_${c.id}`,
        url: `${repoUrl()}/issues/comments/${c.id}`,
        html_url: `https://github.com/${options.owner}/${options.repo}/issues/${c.issue}#issuecomment-${c.id}`,
        body: c.body,
        user: user("vauntico-bot"),
        created_at: iso(c.createdAt),
        updated_at: iso(c.updatedAt),
        issue_url: `${repoUrl()}/issues/${c.issue}`,
        author_association: "NONE",
    });

    function checkLabels(names: unknown): string | undefined {
        if (!Array.isArray(names)) return undefined;
        const missing = names.filter((n) => typeof n === "string" && !labels.some((l) => l.name === n));
        return missing.length > 0 ? `labels do not exist: ${missing.join(", ")}` : undefined;
    }
    function checkAssignees(names: unknown): string | undefined {
        if (!Array.isArray(names)) return undefined;
        const unknown = names.filter((n) => typeof n !== "string" || !options.users.includes(n));
        return unknown.length > 0 ? `cannot assign ${unknown.join(", ")}` : undefined;
    }
    function stringsOf(value: unknown): string[] {
        return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
    }
    function field(body: unknown, key: string): unknown {
        return typeof body === "object" && body !== null && key in body ? Reflect.get(body, key) : undefined;
    }

    /** The operation's effect: status and JSON body, plus extra headers. */
    function handle(
        op: GitHubOperation,
        params: Record<string, string>,
        query: URLSearchParams,
        body: unknown,
    ): { status: number; json: unknown; headers?: Record<string, string> } {
        const now = options.now();
        const issueNumber = Number(params["issue_number"]);
        switch (`${op.method} ${op.path}`) {
            case "get /repos/{owner}/{repo}/issues": {
                const state = query.get("state") ?? "open";
                const wanted = (query.get("labels") ?? "").split(",").filter((l) => l !== "");
                const all = issues
                    .filter((i) => (state === "all" || i.state === state) && wanted.every((l) => i.labels.includes(l)))
                    .sort((a, b) => b.number - a.number);
                return page(all.map(issueJson), query, op.path);
            }
            case "post /repos/{owner}/{repo}/issues": {
                const problem = checkLabels(field(body, "labels")) ?? checkAssignees(field(body, "assignees"));
                if (problem) return { status: 422, json: { message: `Validation Failed: ${problem}`, documentation_url: "https://docs.github.com/rest" } };
                const issue: StoredIssue = {
                    number: issues.length + 1,
                    title: String(field(body, "title")),
                    body: String(field(body, "body") ?? ""),
                    state: "open",
                    stateReason: null,
                    labels: stringsOf(field(body, "labels")),
                    assignees: stringsOf(field(body, "assignees")),
                    createdAt: now,
                    updatedAt: now,
                    closedAt: null,
                };
                issues.push(issue);
                return { status: 201, json: issueJson(issue), headers: { location: `${repoUrl()}/issues/${issue.number}` } };
            }
            case "patch /repos/{owner}/{repo}/issues/{issue_number}": {
                const issue = issues.find((i) => i.number === issueNumber);
                if (!issue) return { status: 404, json: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
                const problem = checkLabels(field(body, "labels")) ?? checkAssignees(field(body, "assignees"));
                if (problem) return { status: 422, json: { message: `Validation Failed: ${problem}`, documentation_url: "https://docs.github.com/rest" } };
                const title = field(body, "title");
                if (typeof title === "string") issue.title = title;
                const text = field(body, "body");
                if (typeof text === "string") issue.body = text;
                if (field(body, "labels") !== undefined) issue.labels = stringsOf(field(body, "labels"));
                if (field(body, "assignees") !== undefined) issue.assignees = stringsOf(field(body, "assignees"));
                const state = field(body, "state");
                if (state === "closed" && issue.state === "open") {
                    issue.state = "closed";
                    issue.closedAt = now;
                    issue.stateReason = String(field(body, "state_reason") ?? "completed");
                }
                if (state === "open" && issue.state === "closed") {
                    issue.state = "open";
                    issue.closedAt = null;
                    issue.stateReason = "reopened";
                }
                issue.updatedAt = now;
                return { status: 200, json: issueJson(issue) };
            }
            case "get /repos/{owner}/{repo}/issues/{issue_number}/comments":
                if (!issues.some((i) => i.number === issueNumber))
                    return { status: 404, json: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
                return page(comments.filter((c) => c.issue === issueNumber).map(commentJson), query, op.path.replace("{issue_number}", String(issueNumber)));
            case "post /repos/{owner}/{repo}/issues/{issue_number}/comments": {
                if (!issues.some((i) => i.number === issueNumber))
                    return { status: 404, json: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
                const comment: StoredComment = { id: nextId++, issue: issueNumber, body: String(field(body, "body")), createdAt: now, updatedAt: now };
                comments.push(comment);
                return { status: 201, json: commentJson(comment), headers: { location: `${repoUrl()}/issues/comments/${comment.id}` } };
            }
            case "patch /repos/{owner}/{repo}/issues/comments/{comment_id}": {
                const comment = comments.find((c) => c.id === Number(params["comment_id"]));
                if (!comment)
                    return { status: 422, json: { message: "Validation Failed: no such comment", documentation_url: "https://docs.github.com/rest" } };
                comment.body = String(field(body, "body"));
                comment.updatedAt = now;
                return { status: 200, json: commentJson(comment) };
            }
            case "get /repos/{owner}/{repo}/labels":
                return page(labels.map(labelJson), query, op.path);
            case "post /repos/{owner}/{repo}/labels": {
                const name = String(field(body, "name"));
                if (labels.some((l) => l.name.toLowerCase() === name.toLowerCase()))
                    return { status: 422, json: { message: "Validation Failed: already_exists", documentation_url: "https://docs.github.com/rest" } };
                const label: StoredLabel = {
                    id: nextId++,
                    name,
                    color: String(field(body, "color") ?? "ededed"),
                    description: typeof field(body, "description") === "string" ? String(field(body, "description")) : null,
                };
                labels.push(label);
                return { status: 201, json: labelJson(label) };
            }
            default:
                return { status: 404, json: { message: "Not Found" } };
        }
    }

    function page(all: unknown[], query: URLSearchParams, template: string): { status: number; json: unknown; headers?: Record<string, string> } {
        const perPage = Number(query.get("per_page") ?? 30);
        const number = Number(query.get("page") ?? 1);
        const slice = all.slice((number - 1) * perPage, number * perPage);
        if (number * perPage >= all.length) return { status: 200, json: slice };
        const next = new URLSearchParams(query);
        next.set("page", String(number + 1));
        const path = template.replace("{owner}", options.owner).replace("{repo}", options.repo);
        return { status: 200, json: slice, headers: { link: `<${base}${path}?${next.toString()}>; rel="next"` } };
    }

    function handleGraphql(body: unknown, res: ServerResponse, record: (status: number, text: string) => void): void {
        // GitHub's pinIssue mutation (GraphQL, outside the REST description): checked by shape only.
        const query = String(field(body, "query") ?? "");
        const issueId = String(field(field(body, "variables"), "issueId") ?? "");
        const issue = issues.find((i) => `I_${i.number}` === issueId);
        const ok = /mutation[\s\S]*pinIssue\(input: \{ ?issueId: \$issueId ?\}\)/.test(query) && issue !== undefined;
        if (!ok) violations.push(`graphql: unexpected request ${JSON.stringify(body)}`);
        if (issue && !pinned.includes(issue.number)) pinned.push(issue.number);
        const text = JSON.stringify(ok ? { data: { pinIssue: { issue: { id: issueId } } } } : { errors: [{ message: "bad request" }] });
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(text);
        record(200, text);
    }

    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const requestBody = Buffer.concat(chunks).toString("utf8");
            const url = new URL(req.url ?? "/", base);
            const method = (req.method ?? "GET").toLowerCase();
            const entry: RecordedRequest = { method: method.toUpperCase(), path: `${url.pathname}${url.search}`, status: 0, requestBody, responseBody: "" };
            requests.push(entry);
            const record = (status: number | "dropped", text: string) => {
                entry.status = status;
                entry.responseBody = text;
            };
            let body: unknown;
            try {
                body = requestBody === "" ? undefined : JSON.parse(requestBody);
            } catch {
                violations.push(`${method} ${url.pathname}: body is not JSON`);
            }
            if (!/^(token|Bearer) \S+$/.test(req.headers.authorization ?? "")) violations.push(`${method} ${url.pathname}: no token`);
            if (method === "post" && url.pathname === "/graphql") {
                handleGraphql(body, res, record);
                return;
            }
            const route = routes.find((r) => r.op.method === method && r.pattern.test(url.pathname));
            if (!route) {
                violations.push(`${method} ${url.pathname}: operation not in the double`);
                res.writeHead(404).end();
                record(404, "");
                return;
            }
            const faultIndex = faults.findIndex((f) => f.key === `${route.op.method} ${route.op.path}`);
            const fault = faultIndex >= 0 ? faults.splice(faultIndex, 1)[0]?.fault : undefined;
            if (fault === "drop-before") {
                record("dropped", "");
                req.socket.destroy();
                return;
            }
            if (fault === "bad-gateway") {
                res.writeHead(502, { "content-type": "text/html" }).end("<html>502 Bad Gateway</html>");
                record(502, "");
                return;
            }
            if (fault === "secondary-rate-limit") {
                const text = JSON.stringify({
                    message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                    documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                });
                res.writeHead(403, { "content-type": "application/json", "retry-after": String(options.retryAfterSeconds ?? 1) }).end(text);
                record(403, text);
                return;
            }
            const values = route.pattern.exec(url.pathname)?.slice(1) ?? [];
            const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(values[i] ?? "")]));
            const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
            for (const [where, check] of [
                ["path", spec.checkParameters(route.op, "path", { ...params })],
                ["query", spec.checkParameters(route.op, "query", query)],
                ["body", spec.checkRequestBody(route.op, body)],
            ] as const) {
                if (!check.valid) violations.push(`${method} ${route.op.path} request ${where}: ${JSON.stringify(check.errors.slice(0, 3))}`);
            }
            const result = handle(route.op, params, url.searchParams, body);
            const response = spec.checkResponse(route.op, result.status, result.json);
            if (!response.valid) violations.push(`${method} ${route.op.path} response ${result.status}: ${JSON.stringify(response.errors.slice(0, 3))}`);
            const text = JSON.stringify(result.json);
            if (fault === "drop-after") {
                record("dropped", text);
                req.socket.destroy();
                return;
            }
            res.writeHead(result.status, { "content-type": "application/json; charset=utf-8", ...result.headers }).end(text);
            record(result.status, text);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address: AddressInfo | string | null = server.address();
    if (address === null || typeof address === "string") throw new Error("the GitHub double is not listening on a TCP port");
    base = `http://127.0.0.1:${address.port}`;
    return {
        url: base,
        requests,
        violations,
        issues,
        comments,
        labels,
        pinned,
        fault: (method, path, fault) => faults.push({ key: `${method.toLowerCase()} ${path}`, fault }),
        writesSince: (since) => requests.slice(since).filter((r) => r.method !== "GET"),
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

function iso(at: Date): string {
    return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
