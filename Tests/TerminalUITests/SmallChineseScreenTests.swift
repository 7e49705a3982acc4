// Issue 19 at the smallest size the notebook promises, in Chinese: every page (home, a lesson and its help, each
// explorer and its keys, a full-screen output, the built-in exercise editor) at 60×20 fits, keeps its key bar
// ending in the way back, and — in the explorers — speaks Chinese in its body, not only in its frame; the attention
// heatmap keeps every row label. Issue 20: the home screen counts exercises passed per lesson, and the built-in
// editor edits, saves and hands back to the lesson.
import Foundation
import Testing
import Decoding
import Lab
import LabCore
@testable import TerminalUI

private let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
private let courseDir = golden.appendingPathComponent("notebook-course")

private func samplingPage() throws -> SamplingExplorerPage {
    SamplingExplorerPage(explorer: try SamplingExplorer(model: ExplorerModel(TableModel()), context: [0, 2, 3], detokenize: { ids in
        ids.map { ExplorerFixtures.words[$0] }.joined(separator: " ")
    }, seed: 7, topN: 8, drawsPerPress: 500))
}

private func beamPage() throws -> BeamExplorerPage {
    BeamExplorerPage(explorer: try BeamExplorer(model: TableModel(), prompt: [0, 2], settings: BeamSearchSettings(beams: 2, maxNewTokens: 5),
                                                piece: { ExplorerFixtures.words[$0] },
                                                detokenize: { $0.map { ExplorerFixtures.words[$0] }.joined(separator: " ") }))
}

/// A sentence of 21 tokens: more query rows than fit at 60×20 (uniform causal weights).
private let sentenceTokens = ["<s>", "▁Once", "▁upon", "▁a", "▁time", ",", "▁有", "一天", "，", "露娜", "去了", "公园", "。",
                              "▁The", "▁dog", "▁says", "▁woof", "▁and", "▁they", "▁played", "."]

private func attentionPage() -> AttentionExplorerPage {
    let n = sentenceTokens.count
    var weights: [[Double]] = []
    for i in 0..<n { weights.append((0..<n).map { j -> Double in j <= i ? 1 / Double(i + 1) : Double.nan }) }
    return AttentionExplorerPage(explorer: AttentionExplorer(layers: 2, heads: 4, tokens: sentenceTokens) { _, _ in weights })
}

private func lensPage() -> LogitLensPage {
    LogitLensPage(explorer: LogitLensExplorer(modelName: "toy", tokens: ["<s>", "the"],
                                              top: [[[LensPrediction("the", 0.5)], [LensPrediction("cat", 0.4)]],
                                                    [[LensPrediction("a", 0.3)], [LensPrediction("dog", 0.6)]]],
                                              nextProbability: [[0.5, nil], [0.2, nil]]))
}

/// A training page whose run has ended (its way back is q then; while it runs, Ctrl-C).
private func finishedTraining() -> TrainingPage {
    let page = TrainingPage(title: "训练 nnlm") {}
    page.appendOutput("第 1 步\n")
    page.finish(.done)
    return page
}

private func tempDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-small-\(UUID().uuidString)")
}

private func rows(_ s: MemoryScreen) -> [String] { (0..<s.rows).map(s.line) }

@Suite(.serialized) struct SmallChineseScreenTests {
    init() { _ = TerminalLocale.activate() }

    @Test func everyPageAt60x20InChineseFitsAndEndsInTheWayBack() throws {
        let exerciseFile = tempDirectory().appendingPathExtension("swift")
        try "func softmax(_ logits: [Double]) -> [Double] {\n    return logits\n}\n".write(to: exerciseFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: exerciseFile) }
        let doc = try LessonDocument(contentsOf: courseDir.appendingPathComponent("zh/01-counting.md"))
        let pages: [(String, Page)] = try Learner.$language.withValue(.zh) {
            [("lesson", LessonPage(document: doc, session: LabSession(document: doc, executor: EchoExecutor()), language: .zh)),
             ("sampling", try samplingPage()), ("beam", try beamPage()), ("attention", attentionPage()), ("lens", lensPage()),
             ("output", OutputPage(title: "词向量地图") { .table(OutputTable(headers: ["词", "余弦"], rows: [["猫", "0.91"], ["狗", "0.88"]])) }),
             ("editor", ExerciseEditorPage(file: exerciseFile, language: .zh) {}), ("training", finishedTraining())]
        }
        for (name, page) in pages {
            for showKeys in [false, true] {
                let s = MemoryScreen(rows: 20, cols: 60)
                if showKeys { _ = page.handle(.char("?")) }
                page.draw(on: s)
                let screen = rows(s)
                for (r, line) in screen.enumerated() { #expect(EastAsianWidth.cells(line) <= 60, "\(name) row \(r) overflows: \(line)") }
                if showKeys {
                    if name != "training" {
                        #expect(s.text.contains("按任意键关闭"), "? opens the keys on the \(name) page at 60×20:\n\(s.text)")
                        #expect(!s.text.contains("…│"), "a line of the \(name) page's keys is cut at 60×20:\n\(s.text)")
                    }
                    _ = page.handle(.char("x"))          // closes the box
                } else {
                    #expect(screen[19].hasSuffix("q 返回"), "the \(name) page's key bar ends in the way back at 60×20: «\(screen[19])»")
                }
            }
        }
        let home = HomePage(course: try Course(lessonsDirectory: courseDir), language: .zh, progress: nil, makeExecutor: { _ in EchoExecutor() })
        let s = MemoryScreen(rows: 20, cols: 60)
        home.draw(on: s)
        #expect(s.line(19).hasSuffix("q 退出"), "home's way back is quitting: \(s.line(19))")
    }

    /// The lesson's and the exercise editor's `?` boxes in English at 80×24: no line cut (r's explanation, 84 cells,
    /// was); the editor's box closes on the next key without acting on it.
    @Test func theKeysInEnglishAt80x24AreWhole() throws {
        let doc = try LessonDocument(contentsOf: courseDir.appendingPathComponent("en/01-counting.md"))
        let session = LabSession(document: doc, executor: EchoExecutor())
        let exerciseFile = tempDirectory().appendingPathExtension("swift")
        try "func f() {}\n".write(to: exerciseFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: exerciseFile) }
        let editor = ExerciseEditorPage(file: exerciseFile, language: .en) {}
        for page: Page in [LessonPage(document: doc, session: session, language: .en), editor] {
            _ = page.handle(.char("?"))
            let s = MemoryScreen(rows: 24, cols: 80)
            page.draw(on: s)
            #expect(s.text.contains("any key closes this"), "\(s.text)")
            #expect(!s.text.contains("…│"), "a line of the keys is cut at 80×24:\n\(s.text)")
        }
        guard case .stay = editor.handle(.char("d")) else { Issue.record("d closing the box went elsewhere"); return }
        #expect(editor.lines == ["func f() {}"] && !editor.modified, "the key that closes the box does not delete a line")
    }

    /// The sampling explorer at 60×20 shows fewer bars rather than lose the entropy line under them; at 80×40 all
    /// eleven words of the table model.
    @Test func theSamplingExplorerKeepsItsEntropyLineAt60x20() throws {
        let page = try Learner.$language.withValue(.zh) {
            SamplingExplorerPage(explorer: try SamplingExplorer(model: ExplorerModel(TableModel()), context: [0, 2, 3], detokenize: { ids in
                ids.map { ExplorerFixtures.words[$0] }.joined(separator: " ")
            }, seed: 7, topN: 11, drawsPerPress: 500))
        }
        for (height, width) in [(20, 60), (40, 80)] {
            let s = MemoryScreen(rows: height, cols: width)
            Learner.$language.withValue(.zh) { page.draw(on: s) }
            #expect(s.text.contains("熵") && s.text.contains("下一次抽取"), "the note under the bars at \(width)×\(height):\n\(s.text)")
            let bars = rows(s).filter { $0.range(of: #"\d\.\d{4}\s*$"#, options: .regularExpression) != nil }.count
            #expect(height == 20 ? (3..<11).contains(bars) : bars == 11, "\(bars) bars at \(width)×\(height):\n\(s.text)")
        }
    }

    @Test func theAttentionHeatmapKeepsEveryRowLabelAt60x20() throws {
        let page = Learner.$language.withValue(.zh) { attentionPage() }
        let s = MemoryScreen(rows: 20, cols: 60)
        Learner.$language.withValue(.zh) { page.draw(on: s) }
        print(s.text)
        var seen = Set<String>()
        for _ in 0..<4 {                               // PgDn walks the rows that do not fit; each keeps its label
            let screen = rows(s)
            for token in sentenceTokens where screen.dropFirst(4).contains(where: { $0.split(separator: " ").first.map(String.init) == token }) { seen.insert(token) }
            #expect(screen[19].hasSuffix("q 返回"))
            #expect(screen.contains { $0.hasPrefix("░ ≥ 0.20") }, "the legend stays on screen")
            _ = page.handle(.pageDown)
            s.clear()
            Learner.$language.withValue(.zh) { page.draw(on: s) }
        }
        #expect(seen == Set(sentenceTokens), "every row label is reachable at 60×20; missing: \(Set(sentenceTokens).subtracting(seen))")
    }

    @Test func explorerBodiesSpeakChinese() throws {
        let sampling = try Learner.$language.withValue(.zh) { try samplingPage() }
        var s = MemoryScreen(rows: 24, cols: 80)
        sampling.draw(on: s)                          // drawn outside the cell: the page keeps its language
        for word in ["词元", "原始", "处理后", "熵", "个词元中有", "下一次抽取"] {
            #expect(s.text.contains(word), "sampling explorer body has «\(word)»:\n\(s.text)")
        }
        #expect(!s.text.contains("entropy") && !s.text.contains("processed"))

        let beam = try Learner.$language.withValue(.zh) { try beamPage() }
        for _ in 0..<5 { _ = beam.handle(.char(" ")) }
        _ = beam.handle(.end)
        s = MemoryScreen(rows: 40, cols: 100)
        beam.draw(on: s)
        for word in ["束数", "束搜索 · 2 束", "● 保留  ✗ 剪枝  ◆ 完成  ○ 完成但未保留", "已完成（最好的在前", "序列", "得分"] {
            #expect(s.text.contains(word), "beam explorer body has «\(word)»:\n\(s.text)")
        }
        #expect(!s.text.contains("kept") && !s.text.contains("finished"))

        let attention = Learner.$language.withValue(.zh) { attentionPage() }
        s = MemoryScreen(rows: 24, cols: 80)
        attention.draw(on: s)
        #expect(s.text.contains("注意力 · 第 0 层（0…1）· 第 0 头（0…3）· 行关注列") && s.text.contains("已掩码"), "\(s.text)")

        let lens = Learner.$language.withValue(.zh) { lensPage() }
        s = MemoryScreen(rows: 24, cols: 80)
        lens.draw(on: s)
        #expect(s.text.contains("词嵌入") && s.text.contains("位置") && s.text.contains("下一个词元"), "\(s.text)")

        // The same pages opened in English stay English.
        let english = try Learner.$language.withValue(.en) { try samplingPage() }
        s = MemoryScreen(rows: 24, cols: 80)
        Learner.$language.withValue(.zh) { english.draw(on: s) }
        #expect(s.text.contains("entropy") && !s.text.contains("熵"))
    }

    @Test func homeCountsExercisesPassedPerLesson() throws {
        let course = tempDirectory()
        defer { try? FileManager.default.removeItem(at: course) }
        for sub in ["en", "zh", "exercises"] {
            try FileManager.default.createDirectory(at: course.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for file in ["course.json", "en/01-counting.md", "zh/01-counting.md"] {
            try FileManager.default.copyItem(at: courseDir.appendingPathComponent(file), to: course.appendingPathComponent(file))
        }
        func entry(_ name: String, _ lesson: Int) -> String {
            #"{"name": "\#(name)", "lesson": \#(lesson), "title": {"en": "\#(name)"}, "checks": {"en": "it"}, "hints": {"en": ["one"]}}"#
        }
        try #"{"exercises": [\#(entry("a", 1)), \#(entry("b", 1)), \#(entry("c", 1)), \#(entry("d", 2))]}"#
            .write(to: course.appendingPathComponent("exercises/exercises.json"), atomically: true, encoding: .utf8)
        let progress = ProgressStore(directory: course.appendingPathComponent("state"))
        progress.updateExercise("a") { $0.passed = Date(); $0.checks = 1 }
        progress.updateExercise("b") { $0.checks = 2 }
        progress.updateExercise("d") { $0.passed = Date() }
        try progress.save()
        for (lang, one, two) in [(LessonLanguage.en, "1/3 ex", "1/1 ex"), (.zh, "练习 1/3", "练习 1/1")] {
            let home = HomePage(course: try Course(lessonsDirectory: course), language: lang, progress: progress, makeExecutor: { _ in EchoExecutor() })
            let s = MemoryScreen(rows: 20, cols: 60)
            home.draw(on: s)
            print(s.text)
            #expect(s.line(4).hasSuffix(one) && s.line(5).hasSuffix(two), "exercises passed beside each lesson:\n\(s.text)")
            #expect(EastAsianWidth.cells(s.line(4)) <= 60)
        }
    }

    @Test func theBuiltInEditorEditsSavesAndHandsBack() throws {
        let file = tempDirectory().appendingPathExtension("swift")
        defer { try? FileManager.default.removeItem(at: file) }
        try "func softmax(_ logits: [Double]) -> [Double] {\n    return logits\n}\n".write(to: file, atomically: true, encoding: .utf8)
        var saved = 0
        let page = ExerciseEditorPage(file: file, language: .en) { saved += 1 }
        _ = page.handle(.down)
        _ = page.handle(.enter)                                     // edit line 2
        _ = page.handle(.ctrl("u"))
        for c in "    let e = logits.map { exp($0 - logits.max()!) }" { _ = page.handle(.char(c)) }
        _ = page.handle(.enter)
        _ = page.handle(.char("o"))                                 // a new line below, indented like this one
        for c in "return e.map { $0 / e.reduce(0, +) }" { _ = page.handle(.char(c)) }
        _ = page.handle(.enter)
        let s = MemoryScreen(rows: 12, cols: 60)
        page.draw(on: s)
        #expect(s.line(0).contains(file.lastPathComponent) && s.line(0).contains("*"), "the title shows the file and that it changed: \(s.line(0))")
        #expect(page.modified && saved == 0)
        guard case .stay = page.handle(.char("q")) else { Issue.record("q left with unsaved changes without asking"); return }
        guard case .back = page.handle(.char("s")) else { Issue.record("s did not save and go back"); return }
        #expect(saved == 1)
        #expect(try String(contentsOf: file, encoding: .utf8) == """
            func softmax(_ logits: [Double]) -> [Double] {
                let e = logits.map { exp($0 - logits.max()!) }
                return e.map { $0 / e.reduce(0, +) }
            }

            """)
        // A missing file is said, not a crash; d deletes a line.
        let missing = ExerciseEditorPage(file: file.appendingPathExtension("nope"), language: .zh) {}
        let wide = MemoryScreen(rows: 12, cols: 200)
        missing.draw(on: wide)
        #expect(wide.line(11).contains(".swift.nope"), "the missing file is named: \(wide.line(11))")
        #expect(missing.lines == [""])
    }

    @Test func theBuiltInEditorWrapsALongLineUnderItselfAndKeepsTheCursorInView() throws {
        let file = tempDirectory().appendingPathExtension("swift")
        defer { try? FileManager.default.removeItem(at: file) }
        let signature = "func skipGramStep(center: [Double], context: [Double], negatives: [[Double]], learningRate: Double) -> Double {"
        try (["// 练习：一行很长的中文注释，" + String(repeating: "说明", count: 30)] + [signature] + (1...30).map { "    // line \($0)" }
             + ["}"]).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let page = ExerciseEditorPage(file: file, language: .zh) {}
        let s = MemoryScreen(rows: 12, cols: 60)
        page.draw(on: s)
        let shown = (1..<11).map { s.line($0) }
        for line in shown { #expect(EastAsianWidth.cells(line) <= 60, "\(line)") }
        let text = shown.map { String($0.dropFirst(3)).trimmingCharacters(in: .whitespaces) }.joined()
        #expect(text.contains(String(repeating: "说明", count: 30)), "the long comment is whole:\n\(s.text)")
        #expect(text.replacingOccurrences(of: " ", with: "").contains(signature.replacingOccurrences(of: " ", with: "")),
                "the signature is whole:\n\(s.text)")
        #expect(s.line(1).hasPrefix(" 1 ") && !s.line(2).hasPrefix(" 2 "), "a continuation has no number:\n\(s.text)")
        for _ in 0..<33 { _ = page.handle(.down) }
        s.clear(); page.draw(on: s)
        #expect(s.text.contains("33 }"), "the last line, selected, is in view:\n\(s.text)")
        _ = page.handle(.home)
        s.clear(); page.draw(on: s)
        #expect(s.line(1).hasPrefix(" 1 "), "back at the top:\n\(s.text)")
    }

    @Test func anExerciseCellIsNamedByItsCheckLine() throws {
        let doc = try LessonDocument(markdown: "# T\n\n```lab id=ex\nexercise check softmax\n```\n\n```lab id=other\nexercise list\n```\n\n```lab id=two\nexercise check a\necho b\n```\n",
                                     path: "t.md")
        #expect(doc.cells.map(\.exerciseName) == ["softmax", nil, nil])
    }
}

/// The lens explorer's columns take the room the shown positions leave: with two positions at 80 columns a piece
/// such as "▁capital" shows whole with its share and ✓ (it was cut to "▁cap…" in 13-cell columns).
@Test func theLensExplorerWidensItsColumnsWhenThereIsRoom() {
    let explorer = LogitLensExplorer(modelName: "toy", tokens: ["<s>", "▁capital"],
                                     top: [[[LensPrediction("▁capital", 0.99)], [LensPrediction("▁of", 0.4)]]],
                                     nextProbability: [[0.99, nil]])
    let text = explorer.lines(width: 80).map(\.text).joined(separator: "\n")
    #expect(text.contains("▸▁capital 99% ✓"), "\(text)")
    let narrow = explorer.lines(width: 40).map(\.text)
    #expect(narrow.allSatisfy { EastAsianWidth.cells($0) <= 40 }, "\(narrow)")
}
