import Testing
@testable import TerminalUI
import Foundation

@Test func memoryScreenClipsByDisplayWidthAndKeepsWideCharactersWhole() {
    _ = TerminalLocale.activate()
    let s = MemoryScreen(rows: 2, cols: 6)
    s.put("语言模型", row: 0, col: 0)        // 8 cells into 6: three characters fit
    #expect(s.line(0) == "语言模")
    s.put("ab语", row: 1, col: 3)            // "语" would straddle the edge: not drawn
    #expect(s.line(1) == "   ab")
    s.put("x", row: 0, col: 1)               // overwriting the right half of 语 blanks its left half
    #expect(s.line(0) == " x言模")
    s.put("z", row: 5, col: 0)               // off screen: nothing
    #expect(s.text == " x言模\n   ab")
}
