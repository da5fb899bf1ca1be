import { describe, expect, it } from "vitest";
import {
    maxEnvironmentValueBytes,
    productionEnvironmentProblems,
    repeatedReviewers,
    repeatedSecretNames,
    valueBytes,
} from "../../../components/github/index.js";

const secret = (name: string) => ({ name, value: "v" });
const secrets = (count: number) => Array.from({ length: count }, (_, i) => secret(`S_${i}`));
const variables = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`V_${i}`, "x"]));
const reviewers = { teams: ["ops"], users: ["lead"] };

describe("productionEnvironmentProblems: GitHub's environment limits", () => {
    it("100 secrets pass, 101 fail", () => {
        expect(productionEnvironmentProblems({ reviewers, secrets: secrets(100) })).toEqual([]);
        expect(productionEnvironmentProblems({ reviewers, secrets: secrets(101) })).toEqual(["secrets: 101 given; GitHub allows at most 100 per environment"]);
    });

    it("100 variables pass, 101 fail", () => {
        expect(productionEnvironmentProblems({ reviewers, secrets: [], variables: variables(100) })).toEqual([]);
        expect(productionEnvironmentProblems({ reviewers, secrets: [], variables: variables(101) })).toEqual([
            "variables: 101 given; GitHub allows at most 100 per environment",
        ]);
    });

    it("a 48 KB value passes, 48 KB + 1 byte fails naming the variable", () => {
        expect(maxEnvironmentValueBytes).toBe(49_152);
        expect(productionEnvironmentProblems({ reviewers, secrets: [], variables: { BIG: "a".repeat(49_152) } })).toEqual([]);
        expect(productionEnvironmentProblems({ reviewers, secrets: [], variables: { BIG: "a".repeat(49_153) } })).toEqual([
            "variables.BIG: 49153 bytes; GitHub allows at most 49152 (48 KB)",
        ]);
        expect(valueBytes("é")).toBe(2);
    });

    it("6 reviewers pass, 7 fail, 0 fail", () => {
        const users = (count: number) => Array.from({ length: count }, (_, i) => `u${i}`);
        expect(productionEnvironmentProblems({ reviewers: { teams: [], users: users(6) }, secrets: [] })).toEqual([]);
        expect(productionEnvironmentProblems({ reviewers: { teams: [], users: users(7) }, secrets: [] })).toEqual([
            "reviewers: 7 given; GitHub allows at most 6",
        ]);
        expect(productionEnvironmentProblems({ reviewers: { teams: [], users: [] }, secrets: [] })).toEqual([
            "reviewers: none given; expected at least one team or user",
        ]);
    });

    it("reviewers repeated case-insensitively, within one list only", () => {
        expect(repeatedReviewers({ teams: ["ops", "OPS"], users: ["Lead", "lead", "ops"] })).toEqual([
            { list: "teams", index: 1, first: 0 },
            { list: "users", index: 1, first: 0 },
        ]);
        expect(productionEnvironmentProblems({ reviewers: { teams: [], users: ["Lead", "lead"] }, secrets: [] })).toEqual([
            "reviewers.users[1]: repeats users[0] (GitHub compares names case-insensitively)",
        ]);
    });

    it("secret names repeat case-insensitively (GitHub upper-cases them)", () => {
        expect(repeatedSecretNames(["A_KEY", "B", "a_key"])).toEqual([{ index: 2, first: 0 }]);
        expect(productionEnvironmentProblems({ reviewers, secrets: [secret("A"), secret("a")] })).toEqual([
            "secrets: a given twice; each secret is delivered exactly once",
        ]);
    });
});
