// PlainRenderer — an Output as plain Unicode text at a width: what the CLI, the REPL (in a pipe too) and
// `lmlab lesson run` print. No escape codes, no trailing spaces; emphasis is dropped (the bars, marks and
// shades carry the meaning). `jsonString` writes any command's --json value, an Output's Codable form included.

import Foundation

public enum PlainRenderer {
    /// The text of `output` laid out `width` cells wide (pictures `height` rows tall, default 14).
    public static func render(_ output: Output, width: Int, height: Int? = nil) -> String {
        OutputLayout.lines(output, width: width, height: height).map(\.text).joined(separator: "\n")
    }
}

/// Encodes a value as pretty, key-sorted JSON (what `--json` prints); `compact` on one line, as the --json of
/// prob, generate, sample and beam has always been (a contract scripts read). JSON has no NaN or infinity: such
/// a number (a log-prob of −∞) is written as the string "nan", "inf" or "-inf" (a Heatmap writes its NaN as null).
public func jsonString<T: Encodable>(_ value: T, compact: Bool = false) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes]
                                       : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                    nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
