import { describe, expect, it } from "vitest";
import { httpsUrlProblem, publicWebhookUrlProblem, unreachableHostReason, userinfoProblem, withoutUserinfo } from "../../../components/urls/index.js";

/** Each class: addresses at its edges (refused, with the reason's words) and their neighbours just outside (accepted). */
const addressEdges: { title: string; refused: string[]; reason: RegExp; accepted: string[] }[] = [
    { title: "IPv4 unspecified 0.0.0.0/8", refused: ["0.0.0.0", "0.255.255.255"], reason: /unspecified/, accepted: ["1.0.0.0"] },
    { title: "IPv4 loopback 127/8", refused: ["127.0.0.0", "127.0.0.1", "127.255.255.255"], reason: /loopback/, accepted: ["126.255.255.255", "128.0.0.0"] },
    { title: "RFC 1918 10/8", refused: ["10.0.0.0", "10.255.255.255"], reason: /private address \(RFC 1918\)/, accepted: ["9.255.255.255", "11.0.0.0"] },
    {
        title: "RFC 1918 172.16/12",
        refused: ["172.16.0.0", "172.31.255.255"],
        reason: /private address \(RFC 1918\)/,
        accepted: ["172.15.255.255", "172.32.0.0"],
    },
    {
        title: "RFC 1918 192.168/16",
        refused: ["192.168.0.0", "192.168.255.255"],
        reason: /private address \(RFC 1918\)/,
        accepted: ["192.167.255.255", "192.169.0.0"],
    },
    { title: "CGNAT 100.64/10", refused: ["100.64.0.0", "100.127.255.255"], reason: /carrier-grade NAT/, accepted: ["100.63.255.255", "100.128.0.0"] },
    {
        title: "IPv4 link-local 169.254/16",
        refused: ["169.254.0.0", "169.254.169.253", "169.254.255.255"],
        reason: /link-local/,
        accepted: ["169.253.255.255", "169.255.0.0"],
    },
    { title: "IPv4 metadata", refused: ["169.254.169.254"], reason: /metadata/, accepted: [] },
    {
        title: "IPv4 multicast, reserved, broadcast 224/3",
        refused: ["224.0.0.0", "239.255.255.255", "240.0.0.1", "255.255.255.255"],
        reason: /multicast/,
        accepted: ["223.255.255.255"],
    },
    { title: "IPv6 unspecified", refused: ["[::]"], reason: /unspecified/, accepted: [] },
    { title: "IPv6 loopback", refused: ["[::1]", "[0:0:0:0:0:0:0:1]"], reason: /loopback/, accepted: [] },
    {
        title: "IPv4-mapped and -compatible IPv6",
        refused: ["[::ffff:127.0.0.1]", "[::ffff:8.8.8.8]", "[::ffff:0:0]", "[::ffff:ffff:ffff]", "[::2]", "[::8.8.8.8]"],
        reason: /IPv4-mapped/,
        accepted: ["[::1:0:0:0]", "[64:ff9b::808:808]"],
    },
    {
        title: "IPv6 link-local fe80::/10",
        refused: ["[fe80::]", "[fe80::1]", "[febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff]"],
        reason: /link-local/,
        accepted: ["[fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff]", "[fec0::]"],
    },
    {
        title: "IPv6 unique local fc00::/7",
        refused: ["[fc00::]", "[fd12:3456::1]", "[fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]", "[fd00:ec2::253]"],
        reason: /unique local/,
        accepted: ["[fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]", "[fe00::]"],
    },
    { title: "IPv6 metadata", refused: ["[fd00:ec2::254]"], reason: /metadata/, accepted: [] },
    {
        title: "IPv6 multicast ff00::/8",
        refused: ["[ff00::]", "[ff02::1]"],
        reason: /multicast/,
        accepted: ["[feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]", "[2001:4860:4860::8888]"],
    },
];

const nameEdges: { title: string; refused: string[]; reason: RegExp; accepted: string[] }[] = [
    {
        title: "localhost and *.localhost",
        refused: ["localhost", "LOCALHOST", "localhost.", "api.localhost", "a.b.localhost."],
        reason: /loopback name/,
        accepted: ["localhost.com", "notlocalhost.com", "localhost-api.example.com"],
    },
    {
        title: "the GCE metadata host",
        refused: ["metadata.google.internal", "METADATA.GOOGLE.INTERNAL."],
        reason: /metadata/,
        accepted: ["metadata.google.com"],
    },
    {
        title: "private-use suffixes",
        refused: ["payments.internal", "printer.local", "router.home.arpa"],
        reason: /private-use/,
        accepted: ["internal.example.com", "local.example.com", "home.arpa.example.com"],
    },
    { title: "single-label names", refused: ["intranet", "metadata"], reason: /single-label/, accepted: ["api.vauntico.com"] },
];

describe("unreachableHostReason", () => {
    it.each([...addressEdges, ...nameEdges])("$title", ({ refused, reason, accepted }) => {
        for (const host of refused) expect(unreachableHostReason(host), host).toMatch(reason);
        for (const host of accepted) expect(unreachableHostReason(host), host).toBeUndefined();
    });
});

describe("publicWebhookUrlProblem", () => {
    it("accepts a public https URL, its path, query and port", () => {
        for (const url of [
            "https://api.vauntico.com/webhooks/stripe",
            "HTTPS://API.vauntico.com:8443/hook?x=1",
            "https://8.8.8.8/hook",
            "https://[2001:4860:4860::8888]/hook",
            "https://api.vauntico.com/a%23b",
        ]) {
            expect(publicWebhookUrlProblem(url), url).toBeUndefined();
        }
    });

    it.each([
        ["loopback in another spelling (0x7f.1)", "https://0x7f.1/hook", /host 127\.0\.0\.1, a loopback address/],
        ["loopback as one number", "https://2130706433/hook", /loopback/],
        ["loopback in octal", "https://0177.0.0.1/hook", /host 127\.0\.0\.1, a loopback/],
        ["loopback with a trailing dot", "https://127.0.0.1./hook", /loopback/],
        ["a private address in short form (10.1)", "https://10.1/hook", /host 10\.0\.0\.1, a private address/],
        ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/hook", /IPv4-mapped/],
        ["metadata", "https://169.254.169.254/latest/meta-data", /metadata/],
        ["localhost", "https://localhost:3000/hook", /loopback name/],
        ["an empty fragment", "https://api.vauntico.com/hook#", /fragment/],
        ["a fragment", "https://api.vauntico.com/hook#top", /fragment/],
        ["http", "http://api.vauntico.com/hook", /uses http:; expected https/],
        ["not a URL", "api.vauntico.com/hook", /not a URL/],
        ["user and password", "https://user:hunter2@api.vauntico.com/hook", /user name or password/],
        ["a user only", "https://user@api.vauntico.com/hook", /user name or password/],
        ["a password only", "https://:hunter2@api.vauntico.com/hook", /user name or password/],
    ])("refuses %s", (_title, url, reason) => {
        const problem = publicWebhookUrlProblem(url);
        expect(problem).toMatch(reason);
        expect(problem).not.toContain("hunter2");
    });

    it("an empty userinfo (a bare @) carries no credential", () => {
        expect(publicWebhookUrlProblem("https://@api.vauntico.com/hook")).toBeUndefined();
    });
});

describe("httpsUrlProblem (Grafana, Sentry: private hosts allowed, credentials and http not)", () => {
    it("accepts a private https host and refuses userinfo and http", () => {
        expect(httpsUrlProblem("https://grafana.internal")).toBeUndefined();
        expect(httpsUrlProblem("https://10.0.0.5:3000")).toBeUndefined();
        expect(httpsUrlProblem("https://admin:hunter2@vauntico.grafana.net")).toMatch(/user name or password/);
        expect(httpsUrlProblem("http://vauntico.grafana.net")).toMatch(/uses http:/);
        expect(httpsUrlProblem("")).toMatch(/not a URL/);
    });
});

describe("userinfoProblem and withoutUserinfo", () => {
    it("finds userinfo only in URLs", () => {
        expect(userinfoProblem("postgres://app:hunter2@db.example.com/app")).toMatch(/user name or password/);
        expect(userinfoProblem("https://app.vauntico.com")).toBeUndefined();
        expect(userinfoProblem("production")).toBeUndefined();
        expect(userinfoProblem("user:hunter2@host")).toBeUndefined();
    });

    it.each([
        ["https://user:hunter2@api.vauntico.com/hook", "https://api.vauntico.com/hook"],
        ["https://:hunter2@api.vauntico.com/", "https://api.vauntico.com/"],
        ["https://user:hunter2@api vauntico.com/hook", "https://api vauntico.com/hook"],
        ["user:hunter2@api.vauntico.com/hook", "api.vauntico.com/hook"],
        ["https://api.vauntico.com/a@b", "https://api.vauntico.com/a@b"],
        ["not a url at all", "not a url at all"],
    ])("%s is shown as %s", (url, shown) => {
        expect(withoutUserinfo(url)).toBe(shown);
        expect(withoutUserinfo(url)).not.toContain("hunter2");
    });
});
