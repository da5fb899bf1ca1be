import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { forgedSecretLike, paystackSignature, stripeSignatureHeader, stripeToleranceSeconds } from "../../../cli/validate/webhookSigning.js";

const secret = "whsec_signingTestSecret0123456789";
const payload = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded" });
const signedAt = 1_800_000_000;

/** What a receiver built on the SDK does: verify at `receivedAt` (seconds; the SDK takes milliseconds) with the default tolerance. */
function verifiesAt(header: string, receivedAt: number, withSecret = secret): boolean {
    try {
        Stripe.webhooks.constructEvent(payload, header, withSecret, undefined, undefined, receivedAt * 1000);
        return true;
    } catch {
        return false;
    }
}

describe("stripeSignatureHeader", () => {
    it("is the header the SDK verifies, carrying the given timestamp", () => {
        const header = stripeSignatureHeader(secret, payload, signedAt);
        expect(header).toMatch(new RegExp(`^t=${signedAt},v1=[0-9a-f]{64}$`));
        expect(verifiesAt(header, signedAt)).toBe(true);
    });

    it("is refused with another secret or another body", () => {
        const header = stripeSignatureHeader(secret, payload, signedAt);
        expect(verifiesAt(header, signedAt, "whsec_another")).toBe(false);
        expect(verifiesAt(stripeSignatureHeader(secret, `${payload} `, signedAt), signedAt)).toBe(false);
    });

    it("ages out at the SDK's tolerance: accepted at 300 s, refused at 301 s", () => {
        expect(stripeToleranceSeconds).toBe(300);
        const header = stripeSignatureHeader(secret, payload, signedAt);
        expect(verifiesAt(header, signedAt + stripeToleranceSeconds - 1)).toBe(true);
        expect(verifiesAt(header, signedAt + stripeToleranceSeconds)).toBe(true);
        expect(verifiesAt(header, signedAt + stripeToleranceSeconds + 1)).toBe(false);
    });
});

describe("paystackSignature", () => {
    it("is HMAC-SHA512 hex of the raw body (RFC 4231 test case 2, as openssl computes it)", () => {
        expect(paystackSignature("Jefe", "what do ya want for nothing?")).toBe(
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        );
    });
});

describe("forgedSecretLike", () => {
    it.each(["whsec_", "sk_test_", "sk_live_"])("keeps the %s prefix and changes the rest", (prefix) => {
        const real = `${prefix}realSecret0123456789`;
        const forged = forgedSecretLike(real);
        expect(forged.startsWith(prefix)).toBe(true);
        expect(forged).not.toBe(real);
        expect(forged.length).toBe(prefix.length + 48);
    });

    it("a secret without a known prefix gets none", () => {
        expect(forgedSecretLike("plainSecret0123456789")).toMatch(/^[0-9a-f]{48}$/);
        expect(forgedSecretLike("my-whsec_0123456789")).toMatch(/^[0-9a-f]{48}$/);
    });
});
