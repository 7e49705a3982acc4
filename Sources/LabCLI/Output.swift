// Small output helpers shared by the commands: stderr and JSON encoding.
import Foundation

enum FileHandleOutput {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Encodes a value as pretty, key-sorted JSON (what `--json` prints); `compact` on one line, as the --json of
/// prob, generate, sample and beam has always been (a contract scripts read).
func jsonString<T: Encodable>(_ value: T, compact: Bool = false) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
