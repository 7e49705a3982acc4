// Kinsoku — where Chinese (and Japanese) text may not break: the closing marks that never start a line and the
// opening marks that never end one (the line-breaking rules of GB/T 15834 and JIS X 4051, as every CJK typesetter
// applies them). LessonPageLayout.wrap keeps each mark beside its neighbour; wrapOutputLine moves the break;
// OutputLayout.text (what the CLI and the REPL print) glues each mark to its neighbour before breaking.

public enum Kinsoku {
    /// 。，、；：？！ and the closing brackets and quotes, full width and narrow: never the first character of a line.
    public static func neverStartsLine(_ s: Unicode.Scalar) -> Bool { closing.contains(s) }

    /// （「『《【〈“‘ and the other opening brackets: never the last character of a line.
    public static func neverEndsLine(_ s: Unicode.Scalar) -> Bool { opening.contains(s) }

    private static let closing: Set<Unicode.Scalar> = Set("。，、；：？！…‥）」』》】〉〕］｝”’・ー々〜．,.;:?!)]}%％".unicodeScalars)
    private static let opening: Set<Unicode.Scalar> = Set("（「『《【〈〔［｛“‘([{".unicodeScalars)
}
