import { describe, expect, it } from "vitest";
import { runPlan } from "../../cli/plan/index.js";
import { reportKinds } from "../../cli/report.js";
import { prodValue, prodWith } from "../support/stackFiles.js";
import { readWorkflow } from "../support/workflowFiles.js";

/**
 * The PR comment is the output of the report commands the preview job runs (see pull-request.yml): this
 * renders them the same way for a stack with a blocking gate and checks the comment answers the questions
 * a reviewer has — which phase, which gates block, which manual criteria are open and whose.
 */

async function comment(changes: Record<string, unknown>): Promise<string> {
    // As the report commands the job runs plan it (cli/report.ts).
    const plan = await runPlan({ stack: "prod", stackFile: prodWith(changes), serializeDynamicProviders: false });
    const parts: string[] = [];
    for (const kind of ["handoff", "blockers"]) {
        const render = reportKinds[kind];
        if (!render) throw new Error(`no report kind ${kind}`);
        parts.push(await render({ plan }));
    }
    return parts.join("\n");
}

describe("the handoff comment on a pull request", () => {
    it("is made of the reports the preview job writes", () => {
        const step = readWorkflow("pull-request.yml").jobs["preview"]?.steps.find((s) => s.run?.includes("report -- handoff"));
        expect(step?.run).toMatch(/report -- handoff[\s\S]*report -- blockers/);
    });

    it("says the phase, the gate that blocks and whose it is, and the open manual criteria with their owners", async () => {
        const payments = prodValue("vauntico:payments");
        const text = await comment({
            "vauntico:phase": 3,
            "vauntico:payments": { ...(typeof payments === "object" ? payments : {}), mode: "live" },
            "vauntico:stripeSecretKey": "sk_live_commentKey1",
            "vauntico:paystackSecretKey": "sk_live_commentKey2",
        });
        expect(text).toContain("Current phase: 3");
        expect(text).toContain("# Blocker Reports — stack prod (vauntico-deploy), phase 3");
        expect(text).toMatch(/mandatory violations?, one report each/);
        expect(text).toContain('vauntico:payments.mode is "live" at phase 3');
        expect(text).toContain("**Team Responsible**: Kilo");
        expect(text).toMatch(/open — manual, to be confirmed by (Kilo|Cline)/);
        expect(text).not.toContain("sk_live_commentKey");
    }, 120_000);
});
