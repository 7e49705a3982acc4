// TokenizedTextGrid — `lmlab tokenize` as plain text: a grid of piece / id / bytes columns aligned by display width
// (a CJK character takes two cells) and wrapped at the output's width — a column wider than the line wrapped inside
// itself —, "▁" marking a space that belongs to the piece and control characters escaped (\n), then the decoded
// round trip. A long text shows its first `shownTokens` tokens (and quotes the text only that far) and one line
// saying how many more there are and that `--json` has them all: a 4 MB text used to print a 78 MB grid
// (hostile-input audit 14 measured 125 MB in a lesson cell).
import Foundation
import LabCore

public enum TokenizedTextGrid {
    /// The most tokens the grid shows: about 100 lines at 80 columns. Every lesson's `tokenize` cell shows under 10,
    /// so none is cut; `--json` lists every token (it is a contract).
    public static let shownTokens = 256

    /// The plain-text view: a grid of piece / id / bytes columns (the first `maxTokens`), wrapped at `width` cells,
    /// then the round trip.
    public static func render(_ r: TokenizedText, width: Int, maxTokens: Int = shownTokens) -> [String] {
        // A cut grid quotes the text and its decoding only as far as the shown tokens go.
        let shownBytes = r.ids.count > maxTokens ? r.bytes.prefix(maxTokens).reduce(0) { $0 + $1.count } : nil
        var lines = [Learner.text("tokenizer: ", "分词器：") + r.tokenizerSummary] + r.notes
            + [Learner.text("text:      ", "文本：    ") + quoted(r.input, upTo: shownBytes), ""]
        let cells: [(piece: String, id: String, bytes: String)] = r.ids.indices.prefix(maxTokens).map {
            (visible(r.pieces[$0]), String(r.ids[$0]),
             r.added.contains(r.ids[$0]) ? Learner.text("(added)", "(添加的)") : r.bytes[$0].map { hex($0) }.joined(separator: " "))
        }
        let labels = [Learner.text("piece", "词元"), "id", Learner.text("bytes", "字节")]
        let labelWidth = 6
        var start = 0
        while start < cells.count {
            // Take as many columns as fit in `width`.
            var end = start
            var used = labelWidth
            while end < cells.count {
                let w = columnWidth(cells[end]) + 3
                if end > start && used + w > width { break }
                used += w
                end += 1
            }
            // A column wider than the line alone (a long CJK piece's bytes) wraps inside itself, under its "│ ".
            let room = max(1, width - labelWidth - 3)
            for (row, label) in labels.enumerated() {
                let values = cells[start..<end].map { c -> [String] in
                    let value = row == 0 ? c.piece : row == 1 ? c.id : c.bytes
                    guard EastAsianWidth.cells(value) > room else { return [value] }
                    return OutputLayout.text(OutputText(value), width: room).map { trimTrailing($0.text) }
                }
                for k in 0..<(values.map(\.count).max() ?? 1) {
                    var line = EastAsianWidth.pad(k == 0 ? label : "", toCells: labelWidth)
                    for (c, value) in zip(cells[start..<end], values) {
                        let piece = k < value.count ? value[k] : ""
                        line += "│ " + EastAsianWidth.pad(piece, toCells: min(room, columnWidth(c))) + " "
                    }
                    lines.append(trimTrailing(line))
                }
            }
            lines.append("")
            start = end
        }
        if r.ids.count > cells.count {
            let more = r.ids.count - cells.count
            lines += [Learner.text("… \(more) more tokens are not shown (the first \(cells.count) are); "
                                   + "--json lists them all",
                                   "…… 还有 \(more) 个词元没有显示（只显示了前 \(cells.count) 个）；--json 会列出全部词元"),
                      ""]
        }
        let roundTrip = r.decoded == r.input ? Learner.text("round trip: identical", "往返：与输入完全一致")
                                             : Learner.text("round trip: DIFFERS from the input", "往返：与输入不同")
        lines.append(Learner.text("\(r.ids.count) tokens, \(r.input.utf8.count) bytes, \(r.input.count) characters",
                                  "\(r.ids.count) 个词元，\(r.input.utf8.count) 个字节，\(r.input.count) 个字符"))
        lines.append(Learner.text("decoded:   ", "解码：    ") + quoted(r.decoded, upTo: shownBytes))
        lines.append(roundTrip)
        return lines
    }

    private static func columnWidth(_ c: (piece: String, id: String, bytes: String)) -> Int {
        max(EastAsianWidth.cells(c.piece), c.id.count, EastAsianWidth.cells(c.bytes))
    }

    private static func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }

    private static func trimTrailing(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }

    /// A piece as drawn in the grid: control characters escaped so every piece stays on one line.
    public static func visible(_ piece: String, emptyMark: String = "∅") -> String {
        let out = VisibleText.escapingControls(piece)
        return out.isEmpty ? emptyMark : out
    }

    private static func quoted(_ s: String) -> String { "\"" + visible(s, emptyMark: "") + "\"" }

    /// `s` quoted up to its first `bytes` UTF-8 bytes (whole characters; nil: all of it), then how much is left out.
    private static func quoted(_ s: String, upTo bytes: Int?) -> String {
        guard let bytes else { return quoted(s) }
        var used = 0, end = s.startIndex
        while end < s.endIndex, used + s[end].utf8.count <= bytes { used += s[end].utf8.count; end = s.index(after: end) }
        guard end < s.endIndex else { return quoted(s) }
        let rest = s.utf8.count - used
        return quoted(String(s[..<end])) + Learner.text(" … (\(rest) more bytes)", " ……（还有 \(rest) 个字节）")
    }
}
