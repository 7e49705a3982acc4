import Testing
import Lab
@testable import TerminalUI

/// Lab's table against glibc's wcwidth under C.UTF-8, over every code point (surrogates excepted).
/// Code points glibc does not know (wcwidth −1: unassigned, private use…) are counted apart; every code point it
/// knows must agree, and the count of those that do not is printed (and must be 0).
@Test func eastAsianWidthMatchesWcwidthUnderCUTF8() throws {
    try #require(LocaleWidth.useCUTF8(), "C.UTF-8 locale missing")
    var agree = 0, disagree: [(UInt32, Int, Int)] = [], unknownToLibc = 0, bmpChecked = 0
    for v in UInt32(0)...0x10FFFF {
        guard let s = Unicode.Scalar(v) else { continue }            // surrogates
        let libc = LocaleWidth.wcwidthOf(s)
        let ours = EastAsianWidth.cells(s)
        if libc < 0 { unknownToLibc += 1; continue }
        if v <= 0xFFFF { bmpChecked += 1 }
        if libc == ours { agree += 1 } else { disagree.append((v, libc, ours)) }
    }
    print("EastAsianWidth vs wcwidth(C.UTF-8): \(agree) agree (\(bmpChecked) in the BMP), \(disagree.count) disagree, "
          + "\(unknownToLibc) unknown to libc (wcwidth −1; ours gives 0 for controls, else 1 or 2)")
    for d in disagree.prefix(20) {
        print(String(format: "  U+%04X: wcwidth %d, ours %d", d.0, d.1, d.2))
    }
    #expect(disagree.isEmpty)
    #expect(bmpChecked > 50_000)
}

@Test func eastAsianWidthOfStringsLinesUpChineseAndCombiningMarks() {
    #expect(EastAsianWidth.cells("语言模型") == 8)
    #expect(EastAsianWidth.cells("e\u{301}") == 1)                 // e + combining acute
    #expect(EastAsianWidth.cells("ＡＢ") == 4)                      // fullwidth Latin
    #expect(EastAsianWidth.cells("😀") == 2)
    #expect(EastAsianWidth.pad("中a", toCells: 5, align: .right) == "  中a")
    #expect(EastAsianWidth.truncate("语言模型", toCells: 5) == "语言…")
}
