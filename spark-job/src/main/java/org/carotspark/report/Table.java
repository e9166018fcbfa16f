package org.carotspark.report;

import java.util.List;

/**
 * A titled table of already formatted cells, rendered as Markdown or as an HTML fragment; the first
 * {@code textColumns} columns are left-aligned labels, the rest right-aligned numbers.
 */
record Table(String title, List<String> header, int textColumns, List<List<String>> rows, String note) {

    String markdown() {
        StringBuilder sb = new StringBuilder("## ").append(title).append("\n\n|");
        header.forEach(h -> sb.append(' ').append(h).append(" |"));
        sb.append("\n|");
        for (int i = 0; i < header.size(); i++) {
            sb.append(i < textColumns ? "---|" : "---:|");
        }
        sb.append('\n');
        for (List<String> row : rows) {
            sb.append('|');
            row.forEach(cell -> sb.append(' ').append(cell).append(" |"));
            sb.append('\n');
        }
        if (note != null && !note.isEmpty()) {
            sb.append('\n').append(note).append('\n');
        }
        return sb.toString();
    }

    String html() {
        StringBuilder sb = new StringBuilder("<h3>").append(Html.escape(title)).append("</h3>\n<table>\n<thead><tr>");
        for (int i = 0; i < header.size(); i++) {
            sb.append(i < textColumns ? "<th class=\"t\">" : "<th>").append(Html.escape(header.get(i))).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            sb.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                sb.append(i < textColumns ? "<td class=\"t\">" : "<td>").append(Html.escape(row.get(i))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        if (note != null && !note.isEmpty()) {
            sb.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
        }
        return sb.toString();
    }
}
