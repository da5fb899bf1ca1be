/**
 * Every remote body the commands and the Stripe provider read goes through here: a response body yields at most a fixed number of
 * bytes; one byte more and the body fails with `BodyTooLargeError` and the request is aborted, which closes
 * its connection — so a hostile or broken server streaming an endless answer costs a bounded amount of memory.
 */

export class BodyTooLargeError extends Error {
    constructor(public readonly limitBytes: number) {
        super(`the answer's body is larger than ${limitBytes} bytes; stopped reading it and closed the connection`);
        this.name = "BodyTooLargeError";
    }
}

/** The longest answer a webhook receiver may give: it owes its caller nothing but a status. */
export const webhookAnswerLimitBytes = 64 * 1024;
/** The longest Stripe API answer read: a page of 100 objects is far below it. */
export const stripeAnswerLimitBytes = 16 * 1024 * 1024;

/** A body that passes at most `limitBytes` through, then errors and calls `stop`. */
function boundedBody(body: ReadableStream<Uint8Array>, limitBytes: number, stop: (error: BodyTooLargeError) => void): ReadableStream<Uint8Array> {
    let seen = 0;
    return body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
                seen += chunk.byteLength;
                if (seen > limitBytes) {
                    const error = new BodyTooLargeError(limitBytes);
                    controller.error(error);
                    stop(error);
                    return;
                }
                controller.enqueue(chunk);
            },
        }),
    );
}

/**
 * `fetch`, with every response body bounded to `limitBytes`. `onCut` hears of each body cut, for callers
 * (such as an SDK) that wrap the body's error in their own.
 */
export function boundedFetch(limitBytes: number, onCut: (error: BodyTooLargeError) => void = () => undefined, fetchImpl: typeof fetch = fetch): typeof fetch {
    return async (input, init) => {
        const abort = new AbortController();
        const signal = init?.signal ? AbortSignal.any([init.signal, abort.signal]) : abort.signal;
        const response = await fetchImpl(input, { ...init, signal });
        // Statuses that carry no body (a Response cannot be rebuilt around one).
        if (response.body === null || [204, 205, 304].includes(response.status)) return response;
        const body = boundedBody(response.body, limitBytes, (error) => {
            onCut(error);
            abort.abort(error);
        });
        return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
}
