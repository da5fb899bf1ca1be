import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { escalateBlockers } from "../../../cli/blockers/escalate.js";
import { desiredBlockers } from "../../../cli/blockers/issueModel.js";
import { syncBlockers } from "../../../cli/blockers/sync.js";
import { blockerHistoryFromGitHub } from "../../../cli/reports/metricsInput.js";
import { measureMetrics } from "../../../cli/reports/metrics.js";
import type { GitHubDouble } from "../../doubles/github.js";
import { TestClock, client, executives, gateInput, repo, startDouble, teams, urn, violation, waived } from "../blockers/harness.js";

const start = "2026-12-02T07:00:00Z";
const branch = urn("github:index/branchProtection:BranchProtection", "main");
const environment = urn("github:index/repositoryEnvironment:RepositoryEnvironment", "production");

describe("blocker history read back from the issues sync and escalate wrote", () => {
    let double: GitHubDouble;
    const clock = new TestClock(start);
    beforeEach(async () => {
        double = await startDouble(clock);
    });
    afterEach(async () => {
        expect(double.violations).toEqual([]);
        await double.close();
    });

    it("opened, levels announced, resolved or waived — and the metrics over it", async () => {
        const a = violation("p1-default-branch-protection", branch);
        const b = violation("p1-production-environment", environment);
        const sync = (verdicts: Parameters<typeof gateInput>[0]) => syncBlockers(client(double), repo, desiredBlockers(gateInput(verdicts), teams), clock.now);
        const escalate = () =>
            escalateBlockers(
                client(double),
                repo,
                "prod",
                { organization: "vauntico", teams, executives, incidentAfterSeconds: 3600 },
                async () => undefined,
                clock.now,
            );
        await sync([a, b]);
        await escalate();
        clock.set(61, start);
        await escalate();
        clock.set(75, start);
        await sync([a, waived("p1-production-environment", environment, "waived by cline-ops-lead until 2026-12-09T00:00:00Z (onboarding)")]);
        clock.set(100, start);
        await sync([]);
        const ids = desiredBlockers(gateInput([a, b]), teams).blockers.map((x) => x.id);
        const history = await blockerHistoryFromGitHub(client(double), repo, "prod");
        const byId = new Map(history.map((h) => [h.id, h]));
        expect(byId.get(ids[0] ?? "")).toEqual({
            id: ids[0],
            severity: "Critical",
            openedAt: "2026-12-02T07:00:00.000Z",
            resolvedAt: "2026-12-02T08:40:00.000Z",
            waived: false,
            levels: [
                { level: 1, at: "2026-12-02T07:00:00.000Z" },
                { level: 2, at: "2026-12-02T08:01:00.000Z" },
            ],
        });
        expect(byId.get(ids[1] ?? "")).toMatchObject({ severity: "High", resolvedAt: null, waived: true });
        const measured = measureMetrics({ stack: "prod", phase: 1, blockers: history, phaseMoves: [], acceptances: [], signOffs: [] });
        expect(measured.criticalBlockers).toMatchObject({ resolved: 1, worstSeconds: 100 * 60, open: 0, waived: 0 });
        expect(measured.highestEscalationLevel).toBe(2);
    });
});
