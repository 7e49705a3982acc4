// VisibleText: a stranger's text prints as one line with every control and format character shown, never sent.
import Lab
import LabCore
import Testing

@Test func controlAndFormatCharactersAreShownEscaped() {
    #expect(VisibleText.escapingControls("\u{1B}[2Jhi") == "\\u{1b}[2Jhi")           // ESC: clear screen
    #expect(VisibleText.escapingControls("a\tb\r\nc") == "a\\tb\\r\\nc")
    #expect(VisibleText.escapingControls("\u{7}\u{7F}\u{9B}") == "\\u{7}\\u{7f}\\u{9b}")  // BEL, DEL, C1 CSI
    #expect(VisibleText.escapingControls("abc\u{202E}fed") == "abc\\u{202e}fed")        // right-to-left override
    #expect(VisibleText.escapingControls("语言 模型 é") == "语言 模型 é")
    #expect(VisibleText.escapingControls("one\ntwo\u{1B}", keepingNewlines: true) == "one\ntwo\\u{1b}")
}
