import { describe, expect, it } from "vitest";
import { codeSpan } from "../../../policy/markdown/index.js";

describe("codeSpan", () => {
    it("fences plain text with one backtick", () => {
        expect(codeSpan('sum(rate(x{a="b"}[5m]))')).toBe('`sum(rate(x{a="b"}[5m]))`');
    });

    it("uses a fence one longer than the longest backtick run inside: 1 → 2, 2 → 3", () => {
        expect(codeSpan("a`b")).toBe("``a`b``");
        expect(codeSpan("a``b`c")).toBe("```a``b`c```");
    });

    it("pads only when the text starts or ends with a backtick", () => {
        expect(codeSpan("`a")).toBe("`` `a ``");
        expect(codeSpan("a`")).toBe("`` a` ``");
        expect(codeSpan("a`b")).not.toContain(" ");
    });

    it("keeps the span on one line", () => {
        expect(codeSpan("a\nb\r\nc")).toBe("`a b c`");
    });
});
