// ExplicitNull: the key a --json contract promises is written even without a value (null), the value otherwise.
import Foundation
import Lab
import Testing

private struct Row: Encodable {
    let name: String
    @ExplicitNull var score: Double?
    let note: String?
}

@Test func explicitNullKeepsTheKeyWhereAPlainOptionalDropsIt() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let empty = String(decoding: try encoder.encode(Row(name: "a", score: nil, note: nil)), as: UTF8.self)
    #expect(empty == #"{"name":"a","score":null}"#)
    let full = String(decoding: try encoder.encode(Row(name: "a", score: 1.5, note: "n")), as: UTF8.self)
    #expect(full == #"{"name":"a","note":"n","score":1.5}"#)
}
