// Byte pieces at the end of a generated text: how many of them begin a character they do not finish (and so decode
// to U+FFFD until the rest arrives) — the count GenerationStream explains under a text cut there.
import Testing
@testable import Tokenizers

@Test func theUnfinishedCharacterAtTheEndIsCountedInBytePieces() {
    let bytes = { (b: [UInt8]) in b.map(BytePieces.piece) }
    #expect(BytePieces.unfinishedCharacter(bytes([0xE9])) == 1)                    // 1 of 飞's 3 bytes
    #expect(BytePieces.unfinishedCharacter(bytes([0xE9, 0xA3])) == 2)
    #expect(BytePieces.unfinishedCharacter(bytes([0xE9, 0xA3, 0x9E])) == 0)        // 飞, whole
    #expect(BytePieces.unfinishedCharacter(bytes([0xF0, 0x9F, 0x98])) == 3)        // 3 of an emoji's 4
    #expect(BytePieces.unfinishedCharacter(bytes([0x0A])) == 0)                    // a whole one-byte character
    #expect(BytePieces.unfinishedCharacter(["▁bird", "<0xE9>"]) == 1)
    #expect(BytePieces.unfinishedCharacter(["<0xE9>", "▁bird"]) == 0, "a text piece last: nothing unfinished")
    #expect(BytePieces.unfinishedCharacter(bytes([0xA3, 0x9E])) == 0, "continuations without their first byte")
    #expect(BytePieces.unfinishedCharacter([]) == 0)
}
