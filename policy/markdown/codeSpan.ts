/**
 * A Markdown code span for any text, on one line: its fence is one backtick longer than the longest run of
 * backticks inside (CommonMark), padded with a space when the text starts or ends with a backtick.
 */
export function codeSpan(text: string): string {
    const oneLine = text.replace(/\r\n|\r|\n/g, " ");
    const longestRun = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((run) => run[0].length));
    const fence = "`".repeat(longestRun + 1);
    const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
    return `${fence}${pad}${oneLine}${pad}${fence}`;
}
