// Words a zh lesson's cells printed in English (w9 audit): the training line, the empty processor chain, the n-gram
// ledger's labels, inspect's parts, a headless run's headers and verdicts. Each reads the same in English as before.
import ClassicLMs
import Decoding
import Foundation
import LabCore
import Testing
@testable import Lab

/// `body` in Chinese and in English.
private func both<T>(_ body: () throws -> T) rethrows -> (zh: T, en: T) {
    (try Learner.$language.withValue(.zh, operation: body), try Learner.$language.withValue(.en, operation: body))
}

@Test func theTrainingLineSpeaksTheLearnersLanguage() {
    var meter = TrainingMeter(totalSteps: 40, clock: { 0 })
    meter.record(step: 4, loss: 6.5, tokens: 256)
    let line = both { meter.line }
    print(line.zh)
    #expect(line.zh.hasPrefix("第 4/40 步 损失 6.500（平滑 6.500）"))
    #expect(!line.zh.contains("loss") && !line.zh.contains("step"))
    #expect(line.en.hasPrefix("step 4/40  loss 6.500 (smoothed 6.500)"))
}

/// Lesson 5's word2vec line, indented in a notebook cell at 80 columns, fits on one line (walk 16: every line
/// wrapped "剩余" / "0:11" onto two).
@Test func theChineseTrainingLineFitsANotebookCellAt80Columns() {
    var now = 0.0
    var meter = TrainingMeter(totalSteps: 340, clock: { now })
    meter.record(step: 1, loss: 2.5, tokens: 16_000)
    now = 1.0
    meter.record(step: 34, loss: 1.762, tokens: 551_105)
    let line = Learner.$language.withValue(.zh) { "embed train  " + meter.line }
    print(line)
    #expect(line.contains("剩余") && EastAsianWidth.cells(line) <= 76, "\(EastAsianWidth.cells(line)) cells: \(line)")
}

@Test func aProcessorChainSaysItselfInChineseButItsDescriptionStaysEnglish() {
    let chain = ProcessorChain([])
    let shown = both { chain.learnerDescription }
    #expect(shown.zh == "不做处理" && shown.en == "no processing")
    #expect(Learner.$language.withValue(.zh) { chain.description } == "no processing")   // sample --json writes it
    let t = try! ProcessorChain(repetitionPenalty: 1.3, temperature: 0.5, topK: 40)
    let named = both { t.learnerDescription }
    print(named.zh)
    #expect(named.zh.contains("温度 0.5") && named.zh.contains("top-k 40") && named.zh.contains("重复惩罚 1.3"), "\(named.zh)")
    #expect(!named.zh.contains("temperature") && !named.zh.contains("repetition"))
    #expect(named.en == t.description && Learner.$language.withValue(.zh) { t.description } == named.en)
}

@Test func theNGramLedgerLabelsItsColumnsAndTotalInChinese() {
    let score = SentenceScore(model: "bigram", tokens: [
        (id: 1, piece: "狗", logProb: -1.0, context: ["<s>"], counts: SentenceScore.Counts(word: 3, context: 10)),
        (id: 2, piece: "</s>", logProb: -0.5, context: ["狗"], counts: SentenceScore.Counts(word: 2, context: 3)),
    ])
    let text = both { PlainRenderer.render(NGramReport.ledger(score), width: 80) }
    print(text.zh)
    #expect(text.zh.contains("P(词元 | 上文)") && text.zh.contains("ln P(句子) = -1.5000"))
    #expect(!text.zh.contains("sentence") && !text.zh.contains("token |"))
    #expect(text.en.contains("P(token | context)") && text.en.contains("ln P(sentence) = -1.5000"))
}

@Test func inspectNamesItsPartsInChineseWithoutClashingWithTheArchitectureRows() {
    let names = ["embedding", "attention", "mlp", "norms", "output"]
    let zh = Learner.$language.withValue(.zh) { names.map(ModelAnatomy.partName) }
    #expect(zh == ["词嵌入", "注意力", "MLP 层", "归一化层", "输出层"])
    #expect(Learner.$language.withValue(.en) { names.map(ModelAnatomy.partName) } == names)
    // The architecture rows start with 类型, 隐藏维度, MLP, 位置编码, 归一化, 词表, 权重, MoE: a lesson's
    // `number in line "<part>"` must not match one of them first.
    for row in ["类型", "隐藏维度", "MLP       SwiGLU", "位置编码", "归一化    RMSNorm", "词表", "权重", "MoE"] {
        #expect(!zh.contains { row.hasPrefix($0) }, "\(row)")
    }
}

@Test func expectationVerdictsAreWrittenInTheLearnersLanguage() throws {
    let output = "总 log P -8.4\n困惑度 66.9\n"
    let compare = try CellExpectation(parsing: #"number after "困惑度" < 100"#, line: 1)
    let within = try CellExpectation(parsing: #"number after "总 log P" in -9..-8"#, line: 1)
    let contains = try CellExpectation(parsing: #"contains "困惑度""#, line: 1)
    let zh = Learner.$language.withValue(.zh) { [compare, within, contains].map { $0.evaluate(output).detail } }
    print(zh)
    #expect(zh == ["66.9 < 100 成立", "-8.4 在 -9..-8 之内", "“困惑度”出现了"])
    let en = Learner.$language.withValue(.en) { [compare, within, contains].map { $0.evaluate(output).detail } }
    #expect(en == ["66.9 < 100 is true", "-8.4 is in -9..-8", "\"困惑度\" appears"])
}

@Test func aHeadlessRunsSummaryIsWrittenInTheLearnersLanguage() {
    var outcome = HeadlessLesson.Outcome()
    (outcome.ran, outcome.needsErnie, outcome.checked) = (11, 1, 15)
    let line = both { HeadlessLesson.summary(outcome) }
    #expect(line.zh == "11 个单元全部运行通过（1 个仅限 ERNIE 的单元缺少权重：已显示获取方法）。检查了 15 条预期。")
    #expect(line.en == "11 cells ran, all passed (1 ERNIE-only without weights: instructions shown). 15 expectations checked.")
}

@Test func replHelpWrapsUnderEachCommandAndNeverStartsALineWithClosingPunctuation() throws {
    let commands = ["rl", "attention", "probe", "train", "generate"].map { (name: $0, abstract: "An English abstract.") }
    let help = Learner.$language.withValue(.zh) { CommandGuide.replHelp(commands, columns: 80) }
    print(help)
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for line in lines {
        #expect(EastAsianWidth.cells(line) <= 80, "too wide: \(line)")
        #expect(!["）", "。", "，", "；"].contains { line.hasPrefix($0) }, "starts with closing punctuation: \(line)")
    }
    // A summary too long for one line continues under itself, indented past the command names.
    let rl = try #require(lines.firstIndex { $0.hasPrefix("  rl ") })
    #expect(lines[rl + 1].hasPrefix(String(repeating: " ", count: 2 + "attention".count + 2)))
    #expect(!lines[rl + 1].hasPrefix(String(repeating: " ", count: 2 + "attention".count + 3)))
}

@Test func sampleShowDistLabelsItsColumnsInChineseAsTheExplorerDoes() {
    let step = SampleStep(chain: ProcessorChain([]), seed: 0, entropy_raw: 1, entropy_processed: 1, kept: 2,
                          top: [.init(id: 5, piece: "猫", raw: 0.6, processed: 0.6), .init(id: 6, piece: "狗", raw: 0.4, processed: 0.4)],
                          drawn: 5, drawn_piece: "猫", drawn_raw: 0.6, drawn_processed: 0.6)
    let text = both { PlainRenderer.render(step.output(vocabularySize: 2), width: 80) }
    print(text.zh)
    #expect(text.zh.contains("原始") && text.zh.contains("处理后") && text.zh.contains("不做处理"))
    #expect(!text.zh.contains("raw") && !text.zh.contains("processed") && !text.zh.contains("no processing"))
    #expect(text.en.contains("raw") && text.en.contains("processed") && text.en.contains("no processing"))
}

@Test func theSmoothingsNameIsChineseInAZhTitle() {
    let rules = [NGramSmoothing.kneserNey(discount: 0.75), .laplace, .addK(0.5), .mle]
    let zh = Learner.$language.withValue(.zh) { rules.map(\.learnerName) }
    #expect(zh == ["插值 Kneser–Ney（d = 0.75）", "拉普拉斯平滑（加 1）", "加 k 平滑（k = 0.5）", "MLE"])
    #expect(Learner.$language.withValue(.en) { rules.map(\.learnerName) } == rules.map(\.description))
    // --json writes the English description in every language (ngram train's "smoothing" key).
    let json = Learner.$language.withValue(.zh) { try? String(decoding: JSONEncoder().encode(rules), as: UTF8.self) }
    #expect(json == #"["interpolated Kneser–Ney (d = 0.75)","Laplace (add-1)","Lidstone (add-0.5)","MLE"]"#)
}

@Test func inspectsMoELineIsChinese() {
    let routing = ModelAnatomy.Experts(experts: 8, width: 170, topK: 2, shared: 1, layers: [1, 2, 3])
    #expect(Learner.$language.withValue(.zh) { routing.sentence } == "8 个专家，宽 170，每个词元选前 2 个，1 个共享，在第 [1, 2, 3] 层")
    #expect(Learner.$language.withValue(.en) { routing.sentence } == "8 experts of width 170, top 2 per token, 1 shared, in layers [1, 2, 3]")
}

@Test func theHomeScreensCommandListWrapsAtTheTerminalsWidth() throws {
    let root = try #require(ProjectPaths.root(currentDirectory: #filePath))
    let course = try Course(lessonsDirectory: root.appendingPathComponent("Lessons"))
    let commands = ["rl", "attention", "tokenize"].map { (name: $0, abstract: "An English abstract.") }
    let screen = course.homeScreen(language: .zh, width: 80, commands: commands)
    print(screen)
    let list = screen.split(separator: "\n").map(String.init).drop { !$0.hasPrefix("  lmlab ") }
    #expect(list.count > commands.count, "the rl and attention lines wrap")
    for line in list {
        #expect(EastAsianWidth.cells(line) <= 80, "too wide: \(line)")
        #expect(line.hasPrefix("  lmlab ") || line.hasPrefix(String(repeating: " ", count: 2 + "lmlab attention".count + 2)))
    }
}

@Test func theCorpusListSaysHowEachCorpusIsCutInChinese() {
    let shown = both { PlainRenderer.render(CorpusReport.list(), width: 100) }
    print(shown.zh)
    #expect(shown.zh.contains("按词") && shown.zh.contains("按字") && shown.zh.contains("按词表切词"), "\(shown.zh)")
    for english in ["lexicon-words", "characters", "  words  "] { #expect(!shown.zh.contains(english), "\(english) in \(shown.zh)") }
    #expect(shown.en.contains("lexicon-words") && shown.en.contains("characters"))
}
