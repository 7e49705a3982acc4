// What the learner sees at 80×24 and 60×20 (a cell's output is 76 or 56 cells wide), in both languages: the scroll
// percentage beside the title instead of over the last text line, titles wrapped, scatter labels on their dots' rows,
// bars scaled to the width, the tokenize byte row wrapped in its column, tables wrapping cells instead of cutting them,
// and a thin "› line" over each output of a cell of several lines.
import Foundation
import Testing
@testable import Lab
import LabCore
@testable import TerminalUI

private let courseDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/notebook-course")

/// The two screens the notebook promises, as (rows, cols), and the width a cell's output is laid out at on each.
private let screens = [(24, 80), (20, 60)]
private let outputWidths = [76, 56]

private func fits(_ lines: [String], _ width: Int, _ what: String) {
    for line in lines { #expect(EastAsianWidth.cells(line) <= width, "\(what) at \(width): \(line)") }
}

private func inLanguage<T>(_ lang: LessonLanguage, _ body: () throws -> T) rethrows -> T {
    try Learner.$language.withValue(lang, operation: body)
}

@Suite(.serialized) struct NarrowLayoutTests {
    init() { _ = TerminalLocale.activate() }

    /// The test course's lesson 1 in `lang` on a fresh page and an empty screen of each size the notebook promises.
    private func onEachScreen(_ lang: LessonLanguage, _ body: (LessonPage, MemoryScreen, Int, Int) throws -> Void) throws {
        let doc = try LessonDocument(contentsOf: courseDir.appendingPathComponent("\(lang.rawValue)/01-counting.md"))
        for (rows, cols) in screens {
            try body(LessonPage(document: doc, session: LabSession(document: doc, executor: EchoExecutor()), language: lang),
                     MemoryScreen(rows: rows, cols: cols), rows, cols)
        }
    }

    /// walk13b 6: " 13%" was put on the bottom text row and hid its end ("…；lmlab tra 13%").
    @Test(arguments: LessonLanguage.allCases)
    func theScrollPercentageSitsInTheTitleBarNotOnText(_ lang: LessonLanguage) throws {
        try onEachScreen(lang) { page, s, rows, cols in
            page.draw(on: s)
            let lines = page.layout(width: cols - 2)
            #expect(lines.count > rows - 2, "the lesson scrolls at \(cols)×\(rows)")
            #expect(s.line(0).hasSuffix("%"), "the title bar ends in the percentage: \(s.line(0))")
            for r in 1...(rows - 2) {
                let k = page.top + r - 1
                let expected = OutputLayout.trimmedRight(" " + (k < lines.count ? lines[k].text : ""))
                #expect(s.line(r) == expected, "row \(r) at \(cols)×\(rows) is the text alone")
            }
        }
    }

    /// walk13b 10: the attention map's title was cut ("…行（查询）关注列", "…rows (queries) a").
    @Test(arguments: LessonLanguage.allCases)
    func theAttentionMapTitleWraps(_ lang: LessonLanguage) {
        let pieces = ["<s>", "▁The", "▁cat", "▁sat", "."]
        let w = (0..<5).map { i in (0..<5).map { j in j <= i ? 1 / Double(i + 1) : .nan } }
        for width in outputWidths {
            let output = inLanguage(lang) { AttentionMap.output(w, pieces: pieces, layer: 1, head: 0) }
            let lines = OutputLayout.lines(output, width: width)
            fits(lines.map(\.text), width, "attention map")
            let title = lines.prefix { $0.runs.first?.emphasis == .accent }.map(\.text)
            #expect(title.count > 1, "the title takes more than a line at \(width)")
            let joined = title.joined(separator: lang == .zh ? "" : " ")
            #expect(joined.hasSuffix(lang == .zh ? "行（查询）关注列（键）" : "rows (queries) attend to columns (keys)"),
                    "\(joined)")
        }
    }

    /// walk13b 9: labels were put up to two rows from their dots (巴黎 under a dot with no label), and the axis read
    /// "−0.00". A label is on its dot's row, right beside it; a dot with no room is marked and listed by its mark.
    @Test(arguments: LessonLanguage.allCases)
    func scatterLabelsSitBesideTheirDots(_ lang: LessonLanguage) {
        let words = lang == .zh ? ["猫", "狗", "鸭子", "牛", "法国", "意大利", "中国", "巴黎", "罗马", "北京"]
                                : ["cat", "dog", "duck", "cow", "france", "italy", "china", "paris", "rome", "beijing"]
        let at: [(Double, Double)] = [(-0.5, -0.02), (-0.49, -0.03), (-0.48, -0.05), (-0.45, 0.1), (0.3, 0.2),
                                      (0.32, 0.22), (0.35, 0.18), (0.5, 0.4), (0.52, 0.41), (0.49, 0.38)]
        let points = zip(words, at).map { ScatterPoint($0, x: $1.0, y: $1.1) } + [ScatterPoint("x", x: 0, y: -0.4)]
        for width in outputWidths {
            let lines = inLanguage(lang) {
                OutputLayout.lines(.scatter(Scatter(title: "PCA", points: points)), width: width, height: 22)
                    .map(\.text)
            }
            print(lines.joined(separator: "\n"))
            fits(lines, width, "scatter")
            #expect(!lines.contains { $0.contains("−0.00") }, "no negative zero on the axis")
            let note = lines.firstIndex { $0.hasPrefix(lang == .zh ? "没地方标注的点：" : "no room to label:") } ?? lines.count
            let plot = Array(lines[..<note]), listed = lines[note...].joined(separator: " ")
            for word in words + ["x"] {
                let row = plot.first { line in
                    line.contains("•" + word) || line.contains(word + "•")
                }
                // On another point's cell: named by it.
                if row != nil || listed.contains(word + (lang == .zh ? "（和" : " (where ")) { continue }
                // Not beside a dot: listed with the mark drawn in place of its dot.
                let items = listed.replacingOccurrences(of: "：", with: " ").replacingOccurrences(of: "、", with: " ")
                    .components(separatedBy: " ")
                let mark = items.firstIndex { $0.hasPrefix(word) }.map { items[$0 - 1] }
                let grid = plot.compactMap { $0.split(separator: "│", maxSplits: 1).dropFirst().first }
                #expect(mark.map { m in Int(m) != nil && grid.contains { $0.contains(m) } } == true,
                        "\(word) at \(width) is neither beside its dot nor listed by a mark: \(listed)")
            }
        }
        #expect(OutputLayout.number(-0.001, 2) == "0.00" && OutputLayout.number(-0.0, 2) == "0.00")
        #expect(OutputLayout.number(-0.006, 2) == "−0.01")
    }

    /// walk13b 5: at 60 columns `rnn vanishing` cut every bar to "████…", so its rows looked the same.
    @Test(arguments: LessonLanguage.allCases)
    func vanishingBarsScaleToTheWidth(_ lang: LessonLanguage) throws {
        func curve<T: Decodable>(_ norms: [Double]) throws -> T {
            let json = "[" + norms.enumerated().map { "{\"lag\":\($0),\"norm\":\($1)}" }.joined(separator: ",") + "]"
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        }
        let elman = (0...20).map { 0.5 * pow(0.8, Double($0)) }, gru = (0...20).map { 0.5 * pow(0.93, Double($0)) }
        let curves = [GradientNormCurve(model: "Elman RNN LM", points: try curve(elman)),
                      GradientNormCurve(model: "GRU LM", points: try curve(gru))]
        for width in outputWidths {
            let lines = inLanguage(lang) {
                PlainRenderer.render(GradientNormCurve.output(curves, maxLag: 20, sequences: 50), width: width)
            }.components(separatedBy: "\n")
            print(lines.joined(separator: "\n"))
            fits(lines, width, "rnn vanishing")
            #expect(!lines.contains { $0.contains("…") }, "nothing cut at \(width)")
            let rows = lines.filter { $0.drop { $0 == " " }.first?.isNumber == true && $0.contains("e-") }
            let bars = rows.map { line in
                line.split(separator: " ").filter { $0.allSatisfy { "█▏▎▍▌▋▊▉".contains($0) } }.map { $0.count }
            }
            #expect(bars.count == 21 && bars.allSatisfy { $0.count == 2 }, "two bars a row: \(bars)")
            #expect(Set(bars.map { $0[0] }).count > 5 && bars[0][0] > bars[20][0] && bars[0][1] > bars[20][1],
                    "the bars still fall with k: \(bars)")
        }
    }

    /// walk13a 14: a 24-byte piece ran its byte row past the edge ("…E9" then "83 BD" at the left margin).
    @Test(arguments: LessonLanguage.allCases)
    func theTokenizeByteRowWrapsInsideItsColumn(_ lang: LessonLanguage) {
        let piece = "巴黎是法国的首都", bytes = Array(piece.utf8)
        let text = TokenizedText(input: piece + "。", ids: [901, 35], pieces: [piece, "。"],
                                 bytes: [bytes, Array("。".utf8)],
                                 decoded: piece + "。", tokenizerSummary: "test")
        for width in outputWidths {
            let lines = inLanguage(lang) { TokenizedTextGrid.render(text, width: width) }
            print(lines.joined(separator: "\n"))
            fits(lines, width, "tokenize")
            let row = lines.firstIndex { $0.hasPrefix(lang == .zh ? "字节" : "bytes") }!
            let continued = lines[(row + 1)...].prefix { $0.hasPrefix("      │ ") }
            #expect(!continued.isEmpty, "the bytes continue under their column at \(width)")
            let shown: [String] = ([lines[row]] + Array(continued)).joined(separator: " ").split(separator: " ")
                .map(String.init).filter { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
            #expect(shown == bytes.map { String(format: "%02X", $0) })
        }
    }

    /// walk13a 5: at 60 columns lesson 4's sparsity table cut "1096/8001 (…", and the cell's expectations then failed.
    /// Headers wrap and the gap narrows before any number is touched, and a row that still wraps is read whole by
    /// "number N in line": the expectations of the lesson hold.
    @Test(arguments: LessonLanguage.allCases)
    func theSparsityTableKeepsItsNumbersAtSixtyColumns(_ lang: LessonLanguage) throws {
        func rows<T: Decodable>(_ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
        let counts = [(1, 0, 0, 388, 0, 395), (2, 26, 25, 2372, 0, 4222), (3, 210, 205, 4484, 26, 12966),
                      (4, 573, 562, 6367, 210, 26950), (5, 1117, 1096, 8001, 573, 43935)]
        let json = "[" + counts.map { k, uw, ut, t, uc, tt in
            "{\"order\":\(k),\"windows\":20506,\"unseenWindows\":\(uw),\"types\":\(t),\"unseenTypes\":\(ut),"
                + "\"unseenContexts\":\(uc),\"trainingTypes\":\(tt)}"
        }.joined(separator: ",") + "]"
        let cell = try #require(try LessonDocument(markdown: """
            # 4

            ```lab id=sparsity
            ngram sparsity --n 5
            # expect: number 7 in line "4" in 5..15
            # expect: number 7 in line "5" in 12..15
            # expect: number 1 in line "3" == 12966
            ```
            """, path: "04.md").cells.first)
        for width in outputWidths + [60] {
            let text = try inLanguage(lang) {
                PlainRenderer.render(NGramReport.sparsity(try rows(json), corpus: "stories-en"), width: width)
            }
            print(text)
            let lines = text.components(separatedBy: "\n")
            fits(lines, width, "sparsity")
            #expect(!text.contains("…"), "nothing cut at \(width)")
            // In English at 56 cells the header's "training" (8 cells) leaves one cell too few to keep every row on
            // one line: "(5.4%)" wraps under its column, and the row is still read as one.
            for result in cell.checkExpectations(text) { #expect(result.passed, "\(width): \(result.detail)") }
        }
    }

    /// walk13a 5, walk13c 10: a table too wide wraps a cell's words within its column — at spaces and between CJK
    /// characters, inside a word only when the word is wider than the column — instead of ending it in "…", in a
    /// command's table and in a lesson's own (lesson 10's 课程内容一览).
    @Test(arguments: LessonLanguage.allCases)
    func wideTablesWrapTheirCellsInsteadOfCuttingThem(_ lang: LessonLanguage) throws {
        let header = lang == .zh ? ["要点", "在哪里运行"] : ["topic", "where it runs"]
        let rows = lang == .zh
            ? [["本机 CPU 上 AMX 与 AVX-512 的预填充", "8 · matrix-engine；在带 AMX 的 CPU 上，在终端里运行 `lmlab bench prefill`"],
               ["有用、诚实、无害", "9 · hhh-helpful、hhh-honest（无害：正文）"],
               ["与 API 对照的贪心解码器", "10 · greedy-reference；在终端里运行 `lmlab serve` 和 `lmlab check greedy`"]]
            : [["AMX and AVX-512 prefill on this CPU",
                "8 · matrix-engine; on a CPU with AMX, run `lmlab bench prefill` in a terminal"],
               ["helpful, honest, harmless", "9 · hhh-helpful, hhh-honest (harmless: the text)"],
               ["a greedy decoder checked against an API",
                "10 · greedy-reference; run `lmlab serve` and `lmlab check greedy`"]]
        // Latin words stay whole; all the text is there, in order (CJK text breaks between characters).
        func words(_ s: String) -> [String] {
            s.split(separator: " ").map(String.init).filter { $0.allSatisfy { EastAsianWidth.cells(String($0)) == 1 } }
        }
        func squeezed(_ s: [String]) -> String { s.joined().filter { $0 != " " && $0 != "`" } }
        let markdown = "# T\n\n| " + header.joined(separator: " | ") + " |\n|---|---|\n"
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
        let doc = try LessonDocument(markdown: markdown, path: "t.md")
        for (_, cols) in screens {
            // The lesson's own table, at the page's width.
            let page = LessonPageLayout.lines(doc, state: LessonLayoutState(), width: cols - 2).map(\.text)
            print(page.joined(separator: "\n"))
            fits(page, cols - 2, "lesson table")
            #expect(!page.contains { $0.contains("…") }, "nothing cut at \(cols)")
            let second = page.filter { $0.contains("│") }.map { line in
                line.components(separatedBy: "│").dropFirst().first?.trimmingCharacters(in: .whitespaces) ?? ""
            }
            let plain = rows.map { $0[1].replacingOccurrences(of: "`", with: "") }
            for word in plain.flatMap(words) {
                #expect(second.contains { $0.contains(word) }, "\(word) whole at \(cols)")
            }
            #expect(squeezed(Array(second.dropFirst())) == squeezed(plain), "all of it, in order, at \(cols)")
            // A command's table, at a cell's width.
            let width = cols - 4
            let table = OutputLayout.lines(.table(OutputTable(headers: header, rows: rows)), width: width).map(\.text)
            print(table.joined(separator: "\n"))
            fits(table, width, "output table")
            #expect(!table.contains { $0.contains("…") }, "nothing cut at \(width)")
            for word in rows.flatMap({ words($0[1]) }) {
                #expect(table.contains { $0.contains(word) }, "\(word) whole at \(width)")
            }
        }
        // A word wider than its column breaks; nothing else is lost.
        let long = OutputTable(headers: ["a", "b"], rows: [["x", "abcdefghijklmnopqrstuvwxyz"]])
        let narrow = OutputLayout.lines(.table(long), width: 12).map(\.text)
        fits(narrow, 12, "a long word")
        #expect(narrow.dropFirst(2).map { $0.dropFirst().trimmingCharacters(in: .whitespaces) }.joined()
                == "abcdefghijklmnopqrstuvwxyz", "\(narrow)")
    }

    /// walk13a 13: a cell of several lines printed their outputs back to back; each after the first now has a thin
    /// "› line" over it.
    @Test(arguments: LessonLanguage.allCases)
    func eachOutputAfterTheFirstHasItsLineOverIt(_ lang: LessonLanguage) throws {
        try onEachScreen(lang) { page, s, _, cols in
            _ = page.handle(.enter)
            page.waitForCell()
            page.draw(on: s)
            #expect(s.text.contains("\n   › echo done: 4222 bigrams\n   done: 4222 bigrams"), "\(s.text)")
            let lines = page.layout(width: cols - 2).map(\.text)
            let first = try #require(lines.firstIndex { $0 == "  counting pairs" }, "\(lines)")
            #expect(lines[first + 1] == "  › echo done: 4222 bigrams" && lines[first + 2] == "  done: 4222 bigrams",
                    "\(lines[first...].prefix(4))")
            #expect(!lines.contains("  › echo counting pairs"), "the first output has the box above it")
        }
    }

    /// Walk 14 finding 12: at 60 columns a title that filled the bar ran into the position ("…ERNIE 4.5第 17/17 项").
    /// Whatever its length, the title ends a cell before the position, cut with "…" when it is too long.
    @Test(arguments: LessonLanguage.allCases)
    func aLongTitleNeverTouchesThePosition(_ lang: LessonLanguage) throws {
        for (rows, cols) in screens {
            for extra in 0..<40 {
                let title = "8 · 今天的大模型：文心 ERNIE 4.5" + String(repeating: "x", count: extra)
                let doc = try LessonDocument(markdown: "# \(title)\n\nText.\n\n```lab id=c\necho hi\n```\n",
                                             path: "t.md")
                let page = LessonPage(document: doc, session: LabSession(document: doc, executor: EchoExecutor()),
                                      language: lang)
                _ = page.handle(.tab)
                let s = MemoryScreen(rows: rows, cols: cols)
                page.draw(on: s)
                let bar = s.line(0)
                let position = try #require(bar.range(of: lang == .zh ? "第 " : "item ", options: .backwards), "\(bar)")
                #expect(bar[bar.index(before: position.lowerBound)] == " ", "a gap before the position: \(bar)")
                #expect(EastAsianWidth.cells(bar) <= cols, "\(bar)")
                let whole = bar.contains(" LMLab · " + title + " ")
                #expect(whole || bar.contains("… "), "the title is whole or ends in …: \(bar)")
            }
        }
    }
}
