import type { PlannedResource } from "../../cli/plan/index.js";
import type { FixtureResource } from "./fixtures.js";

/** Fixture resources as the offline plan records them (inputs = outputs, as mocks echo inputs). */
export function planned(resources: readonly FixtureResource[], secretProps: readonly string[] = ["plaintextValue"]): PlannedResource[] {
    return resources.map((r, index) => {
        const secretPaths = secretProps.filter((p) => p in r.props).flatMap((p) => [`inputs.${p}`, `outputs.${p}`]);
        return {
            urn: `urn:pulumi:prod::vauntico-deploy::${r.type}::${r.name}-${index}`,
            type: r.type,
            name: r.name,
            parent: null,
            custom: !r.type.startsWith("vauntico:"),
            inputs: r.props,
            outputs: r.props,
            secretPaths,
        };
    });
}
