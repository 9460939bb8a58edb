/// An aligned text table, fitted to a width by shrinking the widest truncatable column.
public struct Table: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var rightAligned = false
        /// May be cut (with '…') to fit the width.
        public var truncatable = false
        public init(_ title: String, rightAligned: Bool = false, truncatable: Bool = false) {
            self.title = title
            self.rightAligned = rightAligned
            self.truncatable = truncatable
        }
    }

    /// A cell: its text, and a colour wrapper applied after padding (so width stays right).
    public struct Cell: Sendable {
        public var text: String
        public var style: String?
        public init(_ text: String, style: String? = nil) {
            self.text = text
            self.style = style
        }
    }

    public var columns: [Column]
    public var rows: [[Cell]] = []

    public init(columns: [Column]) { self.columns = columns }

    /// Renders the table; `width` 0 means unlimited. Styles are ANSI SGR codes such as "32".
    public func render(width: Int = 0, color: Bool = false) -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.text.count) }
        }
        let gap = 2
        if width > 0 {
            var total = widths.reduce(0, +) + gap * (widths.count - 1)
            while total > width,
                  let i = widths.indices.filter({ columns[$0].truncatable && widths[$0] > 4 })
                      .max(by: { widths[$0] < widths[$1] }) {
                widths[i] -= 1
                total -= 1
            }
        }
        var out = ""
        func line(_ cells: [Cell], bold: Bool) {
            var text = ""
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : Cell("")
                var value = cell.text
                if value.count > widths[i] { value = String(value.prefix(max(widths[i] - 1, 0))) + "…" }
                let padding = String(repeating: " ", count: widths[i] - value.count)
                var padded = column.rightAligned ? padding + value : value + padding
                if color, let style = bold ? "1" : cell.style { padded = "\u{1B}[\(style)m" + padded + "\u{1B}[0m" }
                if i > 0 { text += String(repeating: " ", count: gap) }
                text += padded
            }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        line(columns.map { Cell($0.title) }, bold: true)
        for row in rows { line(row, bold: false) }
        return out
    }
}
