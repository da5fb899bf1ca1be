import { describe, expect, it } from "vitest";
import { couldBeCredential, shownValue } from "../../stacks/shownValue.js";

describe("shownValue: what an error message may show of a config value", () => {
    it.each([
        "sk_live_CANARY0000", "rk_test_CANARY", "pk_live_CANARY", "whsec_CANARY", "ghp_CANARY", "gho_CANARY", "github_pat_CANARY",
        "glsa_CANARY", "glc_CANARY", "sntrys_CANARY", "xoxb-CANARY", "https://hooks.slack.com/services/T0/B0/CANARY",
        "https://user:CANARY@example.com/hook", "https://CANARY@example.com", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkifQ.sig",
        "-----BEGIN RSA PRIVATE KEY-----CANARY", "AKIACANARY0123456789", "CANARY0123456789abcdef0123", "Q0FOQVJZMDEyMzQ1Njc4OWFiY2RlZg==",
    ])("%s could be a credential: not shown", (value) => {
        expect(couldBeCredential(value)).toBe(true);
        expect(shownValue(value)).not.toContain("CANARY");
        expect(shownValue(value)).toBe("a value that looks like a credential (not shown)");
    });

    it.each(["production", "#deployment", "ops@vauntico.com", "2026-10-28.endive", "https://api.vauntico.com/webhooks/stripe", "base32", "UKILOLEAD1", "release-managers"])("%s is shown", (value) => {
        expect(couldBeCredential(value)).toBe(false);
        expect(shownValue(value)).toBe(JSON.stringify(value));
    });

    // A random-looking token: ≥ 20 characters of letters and digits mixed. 19 is shown, 20 is not.
    it("a token-like string is hidden from 20 characters on", () => {
        expect(shownValue("abc1234567890123456")).toBe('"abc1234567890123456"');
        expect(couldBeCredential("abc12345678901234567")).toBe(true);
        expect(couldBeCredential("abcdefghijklmnopqrstu")).toBe(false); // no digit
        expect(couldBeCredential("12345678901234567890")).toBe(false); // no letter
    });

    it("numbers, booleans and null are shown; lists and objects only by their shape", () => {
        expect(shownValue(7)).toBe("7");
        expect(shownValue(false)).toBe("false");
        expect(shownValue(null)).toBe("null");
        expect(shownValue(undefined)).toBe("nothing");
        expect(shownValue(["sk_live_CANARY"])).toBe("a list of 1 item");
        expect(shownValue([1, 2])).toBe("a list of 2 items");
        expect(shownValue({ token: "ghp_CANARY" })).toBe("an object");
    });

    it("cuts long strings to 80 characters", () => {
        const shown = shownValue(`${"word ".repeat(30)}`);
        expect(shown.length).toBe(80);
        expect(shown.endsWith('..."')).toBe(true);
    });
});

describe("a credential inside a longer value", () => {
    it.each(['{"token":"ghp_CANARYinside"}', "Bearer sk_live_CANARY", "key=glsa_CANARY&x=1", "see https://hooks.slack.com/services/T/B/CANARY now", "x CANARY0123456789abcdefXYZ y"])("%s is not shown", (value) => {
        expect(couldBeCredential(value)).toBe(true);
        expect(shownValue(value)).not.toContain("CANARY");
    });
});
