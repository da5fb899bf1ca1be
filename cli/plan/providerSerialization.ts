/**
 * What the commands' plan holds as a dynamic resource's `__provider` input in place of its serialized code.
 * No gate, check or report reads `__provider` (a test holds `policy/` and `cli/` to it), so every verdict and
 * report is the same.
 */
export const unserializedProvider = "/* dynamic provider: serialized by `pulumi up`, not by the offline plan */";

interface ClosureModule {
    serializeFunction: (...args: never[]) => Promise<unknown>;
}

let activeRuns = 0;
let original: ClosureModule["serializeFunction"] | undefined;
let originalCaching: unknown;

function isClosureModule(value: unknown): value is ClosureModule {
    return typeof value === "object" && value !== null && "serializeFunction" in value && typeof value.serializeFunction === "function";
}

/** The SDK's run options, where `cacheDynamicProviders` lives (`@pulumi/pulumi/runtime/state`); undefined if their shape changed. */
function sdkOptions(): { cacheDynamicProviders?: unknown } | undefined {
    const state: unknown = require("@pulumi/pulumi/runtime/state");
    if (typeof state !== "object" || state === null || !("getStore" in state) || typeof state.getStore !== "function") return undefined;
    const store: unknown = state.getStore();
    const settings: unknown = typeof store === "object" && store !== null && "settings" in store ? store.settings : undefined;
    const options: unknown = typeof settings === "object" && settings !== null && "options" in settings ? settings.options : undefined;
    return typeof options === "object" && options !== null ? options : undefined;
}

/**
 * Runs `run` with the SDK's closure serializer (`serializeFunction` of `@pulumi/pulumi/runtime/closure/
 * serializeClosure`, which `pulumi.dynamic.Resource` looks up on each call) returning `unserializedProvider`.
 *
 * Why: serializing a dynamic provider opens a V8 inspector session (every loaded script reported, ≈ 0.9 s
 * CPU) and parses the function with TypeScript (≈ 0.3 s): half of an offline preflight's own work, for a
 * string the plan never shows. The real serialization is exercised where it matters, by the provider tests
 * that run the serialized provider in Pulumi's dynamic-provider host. The original is restored afterwards;
 * if the SDK's module ever changes shape, the plan serializes for real.
 *
 * The SDK caches each provider object's serialization for the process (`cacheDynamicProviders`): while the
 * patch is in place that cache is off, so a stand-in is never cached for a later run that serializes for
 * real (tests run both kinds in one process), nor a cached real serialization shown by a run that does not.
 */
export async function withoutProviderSerialization<T>(run: () => Promise<T>): Promise<T> {
    const closure: unknown = require("@pulumi/pulumi/runtime/closure/serializeClosure");
    if (!isClosureModule(closure)) return run();
    // Overlapping runs share one patch: the first installs it and the last restores the SDK's own function, so a
    // run that ends while another is still going never restores (or keeps) the wrong one.
    if (activeRuns === 0) {
        original = closure.serializeFunction;
        closure.serializeFunction = async () => ({ text: unserializedProvider, exportName: "handler", containsSecrets: false });
        const options = sdkOptions();
        originalCaching = options?.cacheDynamicProviders;
        if (options) options.cacheDynamicProviders = false;
    }
    activeRuns++;
    try {
        return await run();
    } finally {
        activeRuns--;
        if (activeRuns === 0 && original !== undefined) {
            closure.serializeFunction = original;
            original = undefined;
            const options = sdkOptions();
            if (options) options.cacheDynamicProviders = originalCaching;
        }
    }
}
