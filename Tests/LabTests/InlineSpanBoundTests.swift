// Inline Markdown of a lesson (a stranger's file) parses in time linear in its length: opening marks without
// closers (`*`, `**`, `[`, backtick runs) once made every mark scan to the end of the paragraph — a 1 MB lesson the
// fuzzer wrote took 25 s of CPU. Bounded-time check, not a benchmark.
import Foundation
import Testing
@testable import Lab

@Test func unclosedMarksParseInLinearTime() {
    let unit = "choices: a) x | *b [c `d ``e **f "
    let text = String(repeating: unit, count: 4_000)          // 144 KB of openers without closers
    let start = Date()
    let spans = InlineSpan.parse(text)
    let seconds = Date().timeIntervalSince(start)
    print("inline parse of \(text.utf8.count) bytes of unclosed marks: \(String(format: "%.2f", seconds)) s, \(spans.count) spans")
    #expect(spans.map(\.text).joined().count >= text.count - 8 * 4_000)   // the marks stay text
    #expect(seconds < 20, "quadratic again? \(seconds) s")
}

@Test func closedMarksStillParse() {
    let spans = InlineSpan.parse("a **b** *c* `d` ``e ` f`` [g](h) ````` i")
    #expect(spans.contains { $0.kind == .strong && $0.text == "b" })
    #expect(spans.contains { $0.kind == .emphasis && $0.text == "c" })
    #expect(spans.contains { $0.kind == .code && $0.text == "d" })
    #expect(spans.contains { $0.kind == .code && $0.text == "e ` f" })
    #expect(spans.contains { $0.kind == .link(url: "h") && $0.text == "g" })
}
