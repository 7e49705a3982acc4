// AddedTokens: leftmost-longest matching and the lstrip / rstrip / single_word flags, on hand-written cases whose
// expected splits were checked once against Hugging Face `tokenizers` 0.23.3 (Tokenizer.add_special_tokens, offsets).
import ModelFiles
import Testing
@testable import Tokenizers

@Suite struct AddedTokensTests {
    let table: AddedTokens = {
        var t = AddedTokens()
        t.add(AddedToken("<a>"), id: 10)
        t.add(AddedToken("<a><b>"), id: 11)
        t.add(AddedToken("<b>"), id: 12)
        t.add(AddedToken("[L]", lstrip: true), id: 13)
        t.add(AddedToken("[R]", rstrip: true), id: 14)
        t.add(AddedToken("[W]", singleWord: true), id: 15)
        return t
    }()

    @Test func longestMatchWins() {
        #expect(table.split("x<a><b>y<a>") == [.text("x"), .added(11, "<a><b>"), .text("y"), .added(10, "<a>")])
        #expect(table.split("<a><b") == [.added(10, "<a>"), .text("<b")])
        #expect(table.split("plain") == [.text("plain")])
        #expect(table.split("") == [])
    }

    @Test func stripFlagsSwallowNeighbouringSpaces() {
        #expect(table.split("a  [L] b") == [.text("a"), .added(13, "  [L]"), .text(" b")])
        #expect(table.split("a [R]  b") == [.text("a "), .added(14, "[R]  "), .text("b")])
        #expect(table.split("[L][L]  [L]") == [.added(13, "[L]"), .added(13, "[L]"), .added(13, "  [L]")])
    }

    @Test func singleWordNeedsBoundaries() {
        #expect(table.split("x [W] y") == [.text("x "), .added(15, "[W]"), .text(" y")])
        #expect(table.split("x[W]y") == [.text("x[W]y")])
    }

    @Test func reassigningAnIdForgetsTheOldText() {
        var t = table
        t.add(AddedToken("<c>"), id: 10)
        #expect(t.id(of: "<a>") == nil && t.id(of: "<c>") == 10)
        #expect(t.split("<a>x<c>") == [.text("<a>x"), .added(10, "<c>")])
    }
}
