import { createHmac, randomBytes } from "node:crypto";
import Stripe from "stripe";

/** Stripe's signature tolerance: a receiver using the SDK rejects a timestamp older than this. */
export const stripeToleranceSeconds: number = Stripe.webhooks.DEFAULT_TOLERANCE;

/** `Stripe-Signature: t=…,v1=…` for a raw body, made by the SDK's own test-header helper. */
export function stripeSignatureHeader(signingSecret: string, rawBody: string, timestampSeconds: number): string {
    return Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: signingSecret, timestamp: timestampSeconds });
}

/**
 * `x-paystack-signature`: hex HMAC-SHA512 of the raw body with the Paystack secret key. Paystack ships no SDK
 * with a signing helper, so this is the project's one Paystack signer.
 */
export function paystackSignature(secretKey: string, rawBody: string): string {
    return createHmac("sha512", secretKey).update(rawBody, "utf8").digest("hex");
}

/** A secret that is not the real one, shaped like it, for the forged-signature case. */
export function forgedSecretLike(secret: string): string {
    const prefix = /^(whsec_|sk_test_|sk_live_)/.exec(secret)?.[1] ?? "";
    return `${prefix}${randomBytes(24).toString("hex")}`;
}
