package io.kccr.node.rest;

import java.util.List;

/** The text tables of the {@code _cat} APIs: columns padded to their widest cell. */
final class CatTable {
    private CatTable() {
    }

    static String render(String[] header, List<String[]> rows, boolean withHeader) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = withHeader ? header[i].length() : 0;
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        if (withHeader) {
            line(out, header, widths);
        }
        rows.forEach(r -> line(out, r, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            out.append(cells[i]);
            if (i < cells.length - 1) {
                out.append(" ".repeat(widths[i] - cells[i].length() + 1));
            }
        }
        out.append('\n');
    }
}
