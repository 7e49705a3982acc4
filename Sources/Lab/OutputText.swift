// OutputText and OutputTable — prose with emphasis, and tables whose columns line up in display cells
// (a Chinese word takes two), as every command of the lab prints them.

/// How a span of text is emphasised; renderers map it to a style (bold, colour) or to nothing in plain text.
public enum Emphasis: String, Codable, Sendable {
    case plain, strong, dim, code
    /// Headings and the selected thing (a running beam, the cursor row).
    case accent
    /// Something good or chosen (the sampled token, a kept beam).
    case good
    /// Something lost (a pruned beam, a zero probability).
    case bad
}

public struct TextSpan: Codable, Sendable, Equatable {
    public var text: String
    public var emphasis: Emphasis
    public init(_ text: String, _ emphasis: Emphasis = .plain) { self.text = text; self.emphasis = emphasis }
}

/// A paragraph (wrapped by the renderer to the width it has); "\n" inside a span starts a new line.
public struct OutputText: Codable, Sendable, Equatable {
    public var spans: [TextSpan]
    /// Cells a wrapped line's continuation is indented by (a label-and-value list keeps its values in one column);
    /// nil: none.
    public var hangingIndent: Int?
    public init(_ text: String, _ emphasis: Emphasis = .plain, hangingIndent: Int? = nil) {
        spans = [TextSpan(text, emphasis)]
        self.hangingIndent = hangingIndent
    }
    public init(spans: [TextSpan]) { self.spans = spans }
    /// The text without emphasis.
    public var string: String { spans.map(\.text).joined() }
}

public enum ColumnAlignment: String, Codable, Sendable { case left, right, center }

/// Rows of cells under a header; columns are as wide as their widest cell (in display cells) and shrink, widest
/// first, when the table does not fit.
public struct OutputTable: Codable, Sendable, Equatable {
    public var title: String?
    public var headers: [String]
    /// Each row has `headers.count` cells.
    public var rows: [[String]]
    /// One per column; missing entries are `.left`.
    public var alignments: [ColumnAlignment]
    /// true: the columns are alike (positions, keys) and the first names the rows — on a line too narrow for them
    /// all, the columns that do not fit continue in blocks below, each with the first column again, instead of every
    /// column being cut. nil or false: the widest columns give way.
    public var continuesBelow: Bool?

    public init(title: String? = nil, headers: [String], rows: [[String]], alignments: [ColumnAlignment] = []) {
        precondition(rows.allSatisfy { $0.count == headers.count },
                     "OutputTable: every row needs \(headers.count) cells (one per header)")
        self.title = title
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
    }

    /// The table with `continuesBelow` set: its columns are alike, and continue below where the line ends.
    public func continuingBelow() -> OutputTable {
        var t = self
        t.continuesBelow = true
        return t
    }

    public func alignment(_ column: Int) -> ColumnAlignment {
        column < alignments.count ? alignments[column] : .left
    }
}
