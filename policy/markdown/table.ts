/**
 * One Markdown (GitHub-flavoured) table writer for every report: the pack's gate list and the commands'
 * reports. It lives in the pack because the pack must stand alone and the commands may import the pack,
 * never the reverse.
 */

export type Alignment = "left" | "right" | "center";

/** A column: its header, or its header and alignment. */
export type Column = string | { header: string; align: Alignment };

const separators: Record<Alignment | "none", string> = { none: "---", left: ":---", right: "---:", center: ":---:" };

/** Text kept on one line (a table row, a list item): line breaks folded to spaces. */
export function inlineText(text: string): string {
    return text.replace(/\r\n|\r|\n/g, " ");
}

/** A cell's text made safe for a table row: on one line, and `|` escaped (it would end the cell, even inside a code span). */
export function tableCell(text: string): string {
    return inlineText(text).replace(/\|/g, "\\|");
}

/** The table's lines: header, separator, one line per row; every cell escaped with `tableCell`. */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
    const line = (cells: readonly string[]): string => `| ${cells.map(tableCell).join(" | ")} |`;
    rows.forEach((row, index) => {
        if (row.length !== columns.length) throw new Error(`markdownTable: row ${index} has ${row.length} cells for ${columns.length} columns`);
    });
    return [
        line(columns.map((column) => (typeof column === "string" ? column : column.header))),
        `| ${columns.map((column) => separators[typeof column === "string" ? "none" : column.align]).join(" | ")} |`,
        ...rows.map(line),
    ];
}
