import { BlockList, isIP } from "node:net";

/**
 * The rules every URL the stack takes must follow, in one place: the config schema, the components and the
 * commands all ask these functions. Messages never contain the URL (it could carry a credential); callers
 * show it with `withoutUserinfo`.
 */

/**
 * The URL as it may be shown: any `user:password@` removed. Text the URL parser does not read as having an
 * authority (no URL, or `user:pw@host` read as an opaque path) loses everything before its first `@`.
 */
export function withoutUserinfo(url: string): string {
    if (userinfoProblem(url) !== undefined) {
        const parsed = new URL(url);
        parsed.username = "";
        parsed.password = "";
        return parsed.href;
    }
    return url.replace(/^([^:/?#]*:\/\/)?[^/?#]*@/, "$1");
}

/** Why the URL carries a credential, or undefined. Text that is not a URL carries none here. */
export function userinfoProblem(url: string): string | undefined {
    if (!URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    return parsed.username !== "" || parsed.password !== ""
        ? "carries a user name or password (user:password@); credentials go in Pulumi secrets, never in a URL"
        : undefined;
}

/** Why the URL is not an https URL without credentials, or undefined when it is one. */
export function httpsUrlProblem(url: string): string | undefined {
    if (!URL.canParse(url)) return "is not a URL; expected an https:// URL";
    const parsed = new URL(url);
    if (parsed.protocol !== "https:") return `uses ${parsed.protocol}; expected https://`;
    return userinfoProblem(url);
}

interface AddressClass {
    reason: string;
    blocks: BlockList;
}

function addressClass(reason: string, family: "ipv4" | "ipv6", subnets: readonly (readonly [string, number])[]): AddressClass {
    const blocks = new BlockList();
    for (const [network, prefix] of subnets) blocks.addSubnet(network, prefix, family);
    return { reason, blocks };
}

// In order: the first class an address falls in names it (the metadata address before its link-local range).
const ipv4Classes: readonly AddressClass[] = [
    addressClass("a cloud metadata address", "ipv4", [["169.254.169.254", 32]]),
    addressClass("an unspecified address (0.0.0.0/8)", "ipv4", [["0.0.0.0", 8]]),
    addressClass("a loopback address (127.0.0.0/8)", "ipv4", [["127.0.0.0", 8]]),
    addressClass("a private address (RFC 1918)", "ipv4", [
        ["10.0.0.0", 8],
        ["172.16.0.0", 12],
        ["192.168.0.0", 16],
    ]),
    addressClass("a shared (carrier-grade NAT) address (100.64.0.0/10)", "ipv4", [["100.64.0.0", 10]]),
    addressClass("a link-local address (169.254.0.0/16)", "ipv4", [["169.254.0.0", 16]]),
    addressClass("a multicast, reserved or broadcast address (224.0.0.0/3)", "ipv4", [["224.0.0.0", 3]]),
];
const ipv6Classes: readonly AddressClass[] = [
    addressClass("a cloud metadata address", "ipv6", [["fd00:ec2::254", 128]]),
    addressClass("the unspecified address (::)", "ipv6", [["::", 128]]),
    addressClass("the loopback address (::1)", "ipv6", [["::1", 128]]),
    addressClass("an IPv4-mapped or IPv4-compatible IPv6 address (::ffff:0:0/96, ::/96)", "ipv6", [
        ["::ffff:0:0", 96],
        ["::", 96],
    ]),
    addressClass("a link-local address (fe80::/10)", "ipv6", [["fe80::", 10]]),
    addressClass("a unique local address (fc00::/7)", "ipv6", [["fc00::", 7]]),
    addressClass("a multicast address (ff00::/8)", "ipv6", [["ff00::", 8]]),
];

/** Host names that never resolve to a public address: the name, or a suffix after a dot. */
const localNames: readonly { reason: string; matches: (host: string) => boolean }[] = [
    { reason: "a cloud metadata host", matches: (host) => host === "metadata.google.internal" },
    { reason: "a loopback name (localhost, RFC 6761)", matches: (host) => host === "localhost" || host.endsWith(".localhost") },
    {
        reason: "a private-use name (.internal, .local, .home.arpa)",
        matches: (host) => [".internal", ".local", ".home.arpa"].some((suffix) => host.endsWith(suffix)),
    },
    { reason: "a single-label name (resolves only on a local network)", matches: (host) => !host.includes(".") },
];

/** Why no payment provider on the internet could reach this host, or undefined when it could be public. */
export function unreachableHostReason(hostname: string): string | undefined {
    const host = hostname
        .toLowerCase()
        .replace(/^\[(.*)\]$/, "$1")
        .replace(/\.$/, "");
    const family = isIP(host);
    if (family === 4) return ipv4Classes.find((c) => c.blocks.check(host, "ipv4"))?.reason;
    if (family === 6) return ipv6Classes.find((c) => c.blocks.check(host, "ipv6"))?.reason;
    return localNames.find((name) => name.matches(host))?.reason;
}

/**
 * Why a payment provider could not deliver webhooks to this URL, or undefined when it could: https, no
 * credentials, no fragment, and a host that is not loopback, link-local, private, metadata or otherwise
 * local. The host is judged as written (offline: no DNS lookup), so a public name that resolves to a private
 * address is not caught here.
 */
export function publicWebhookUrlProblem(url: string): string | undefined {
    const problem = httpsUrlProblem(url);
    if (problem) return problem;
    const parsed = new URL(url);
    if (parsed.hash !== "" || parsed.href.endsWith("#")) return "has a #fragment, which is never sent to the server; remove it";
    const unreachable = unreachableHostReason(parsed.hostname);
    return unreachable ? `has host ${parsed.hostname}, ${unreachable}, which no payment provider can reach; use the endpoint's public https URL` : undefined;
}

/** `field: "<url, userinfo removed>" <why>` when `rule` refuses the URL, else undefined: how a refusal names its URL. */
export function refusedUrl(field: string, url: string, rule: (url: string) => string | undefined): string | undefined {
    const problem = rule(url);
    return problem === undefined ? undefined : `${field}: ${JSON.stringify(withoutUserinfo(url))} ${problem}`;
}
