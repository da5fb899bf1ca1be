import { describe, expect, it } from "vitest";
import { gateReportInput } from "../../cli/analyzer/index.js";
import { runPlan } from "../../cli/plan/index.js";
import { reportKinds } from "../../cli/report.js";
import { blockersReport } from "../../cli/reports/blockers.js";
import { handoffReport } from "../../cli/reports/handoff.js";
import { statusReport } from "../../cli/reports/status.js";
import { evaluateInProcess } from "../support/inProcessPack.js";
import { prodStackFile } from "../support/stackFiles.js";

describe("protocol reports on the prod plan, verdicts from the pack over gRPC", () => {
    it("are byte-identical across two evaluations, registered in the dispatcher, and carry no secret value", async () => {
        const file = prodStackFile();
        const secretValues = file.secretKeys.map((k) => file.config[k]).filter((v): v is string => v !== undefined && v.length > 0);
        expect(secretValues.length).toBeGreaterThan(0);
        const plan = await runPlan({ stack: "prod", stackFile: file, serializeDynamicProviders: false });
        // The second evaluation is by the pack's Analyzer served in this process, as other report tests judge:
        // the reports must still come out byte for byte the same (one pack start, not two).
        const [first, second] = [await gateReportInput(plan), await gateReportInput(plan, evaluateInProcess)];
        for (const render of [handoffReport, blockersReport, statusReport]) {
            const text = render(first);
            expect(render(second)).toBe(text);
            for (const value of secretValues) expect(text).not.toContain(value);
        }
        expect(blockersReport(first)).toContain("No blockers: no mandatory gate is violated at phase 1.");
        expect(Object.keys(reportKinds)).toEqual(expect.arrayContaining(["handoff", "blockers", "status"]));
    }, 120_000);
});
