import { createHmac, randomBytes } from "node:crypto";

/** Stripe's signature tolerance: a receiver using the SDK rejects a timestamp older than this. */
export const stripeToleranceSeconds = 300;

/** `Stripe-Signature: t=…,v1=…`, v1 = hex HMAC-SHA256 of `${t}.${rawBody}` with the endpoint's `whsec_` secret. */
export function stripeSignatureHeader(signingSecret: string, rawBody: string, timestampSeconds: number): string {
    const signature = createHmac("sha256", signingSecret).update(`${timestampSeconds}.${rawBody}`, "utf8").digest("hex");
    return `t=${timestampSeconds},v1=${signature}`;
}

/** `x-paystack-signature`: hex HMAC-SHA512 of the raw body with the Paystack secret key. */
export function paystackSignature(secretKey: string, rawBody: string): string {
    return createHmac("sha512", secretKey).update(rawBody, "utf8").digest("hex");
}

/** A secret that is not the real one, shaped like it, for the forged-signature case. */
export function forgedSecretLike(secret: string): string {
    const prefix = /^(whsec_|sk_test_|sk_live_)/.exec(secret)?.[1] ?? "";
    return `${prefix}${randomBytes(24).toString("hex")}`;
}
