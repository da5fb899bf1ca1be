import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubSpecValidator } from "./githubSpec.js";
import { type GitHubDouble, startGitHubDouble } from "./github.js";

const issues = { path: "/repos/{owner}/{repo}/issues", method: "post" } as const;
const list = { path: "/repos/{owner}/{repo}/issues", method: "get" } as const;

describe("the GitHub double's OpenAPI checks can fail", () => {
    const validator = new GitHubSpecValidator([issues, list]);

    it("a create-issue body without a title, or with labels of the wrong type, is invalid", () => {
        expect(validator.checkRequestBody(issues, { body: "x" }).valid).toBe(false);
        expect(validator.checkRequestBody(issues, { title: "t", labels: [1] }).valid).toBe(false);
        expect(validator.checkRequestBody(issues, { title: "t", labels: ["blocker"], assignees: ["a"] }).valid).toBe(true);
    });

    it("a query parameter the operation does not take, or a state it does not know, is invalid", () => {
        expect(validator.checkParameters(list, "query", { state: "all", per_page: "100" }).valid).toBe(true);
        expect(validator.checkParameters(list, "query", { state: "everything" }).valid).toBe(false);
        expect(validator.checkParameters(list, "query", { colour: "red" }).valid).toBe(false);
    });

    it("a response missing a required field, or with an undocumented status, is invalid", () => {
        expect(validator.checkResponse(list, 200, [{ title: "no number" }]).valid).toBe(false);
        expect(validator.checkResponse(issues, 418, {}).valid).toBe(false);
    });
});

describe("the double records what breaks the description", () => {
    let double: GitHubDouble;
    beforeEach(async () => {
        double = await startGitHubDouble({ owner: "o", repo: "r", now: () => new Date("2026-12-02T07:00:00Z"), users: [] });
    });
    afterEach(async () => {
        await double.close();
    });

    it("an invalid request is recorded as a violation; a request with no token too", async () => {
        await fetch(`${double.url}/repos/o/r/issues`, {
            method: "POST",
            headers: { authorization: "token t", "content-type": "application/json" },
            body: JSON.stringify({ body: "no title" }),
        });
        await fetch(`${double.url}/repos/o/r/labels`);
        expect(double.violations).toEqual([
            expect.stringMatching(/^post \/repos\/\{owner\}\/\{repo\}\/issues request body: .*"missingProperty":"title"/),
            "get /repos/o/r/labels: no token",
        ]);
    });

    it("labels that do not exist and users that cannot be assigned are refused with 422, as GitHub does", async () => {
        const response = await fetch(`${double.url}/repos/o/r/issues`, {
            method: "POST",
            headers: { authorization: "token t" },
            body: JSON.stringify({ title: "t", labels: ["nope"] }),
        });
        expect(response.status).toBe(422);
        expect(double.issues).toEqual([]);
        expect(double.violations).toEqual([]);
    });
});
