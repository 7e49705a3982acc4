// `lmlab moe route --explore` headless: the explorer page over the real routing of the tiny MoE fixture
// (Tests/ERNIETests/Fixtures/moe-tokenizer: layers 0 and 1 MoE, 16 experts, top 2), drawn into a MemoryScreen after
// key presses; the grid's weights are the routing's, the bars the selected token's router p, and the screen is a
// golden (LMLAB_UPDATE_GOLDEN=1 swift test --filter ExpertRouteExplorerTests to accept a deliberate change).
import Foundation
import Lab
import LabCore
import Testing
import TerminalUI

private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/moe-tokenizer").standardizedFileURL.path
private let goldenFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/screen-moe-route-explorer-100x40.txt")

@Test func expertRouteExplorerWalksLayersAndTokens() throws {
    let report = try ExpertRouteReport.route("The cat sat on the mat.", model: fixture)
    let explorer = ExpertRouteExplorer(modelName: "moe-tokenizer", report: report)
    let page = ExpertRouteExplorerPage(explorer: explorer)
    let screen = MemoryScreen(rows: 40, cols: 100)
    #expect(explorer.layerIndex == 0 && explorer.token == 1)
    for key: Key in [.down, .down, .right, .right, .left, .up, .down, .end, .home, .right, .right] {
        _ = page.handle(key)
        page.draw(on: screen)
    }
    #expect(explorer.layerIndex == 1 && explorer.token == 2, "clamped at the last layer; Home → 0, then two right")
    let r = report.layers[1].routing
    let text = screen.text
    // The selected token's chosen experts carry their weights in the grid, and its bars start with its largest p.
    for (e, w) in zip(r.chosen(row: 2), r.weights(row: 2)) {
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("e\(e) (\(r.load[e]))") }, "no row for e\(e)")
        #expect(row.contains(String(format: "%.2f", w)))
    }
    #expect(text.contains("layer 1 (MoE layers 0, 1) · 16 experts, top 2 · \(r.rows) tokens, numbered 0–\(r.rows - 1)"))
    #expect(text.contains("token 2 \(report.pieces[2]): router p"))
    #expect(page.handle(.char("q")).isBack)

    let actual = text + "\n"
    if ProcessInfo.processInfo.environment["LMLAB_UPDATE_GOLDEN"] == "1" {
        try actual.write(toFile: goldenFile.path, atomically: true, encoding: .utf8)
        return
    }
    let golden = try #require(try? String(contentsOf: goldenFile, encoding: .utf8),
                              "no golden screen: run LMLAB_UPDATE_GOLDEN=1 swift test --filter ExpertRouteExplorerTests")
    if golden != actual { print(actual) }
    #expect(golden == actual)
}

extension PageAction {
    var isBack: Bool { if case .back = self { return true } else { return false } }
}

/// At 60×20 in Chinese the layer line and the selected token's line wrap instead of losing their ends (they were
/// cut to "第 1 个词元" and "只看 p 则选 e").
@Test func expertRouteExplorerAt60ColumnsInChineseKeepsItsSentencesWhole() throws {
    let report = try ExpertRouteReport.route("The cat sat on the mat.", model: fixture)
    let explorer = ExpertRouteExplorer(modelName: "moe-tokenizer", report: report)
    let lines = Learner.$language.withValue(.zh) { explorer.lines(width: 60).map(\.text) }
    print(lines.joined(separator: "\n"))
    let r = report.layers[0].routing
    let joined = lines.joined(separator: " ")   // a wrap at a space leaves the space out
    #expect(joined.replacingOccurrences(of: " ", with: "").contains("\(r.rows)个词元，编号0–\(r.rows - 1)"),
            "the token count and their numbering are on screen")
    let unbiased = r.unbiasedChoice(row: explorer.token).map { "e\($0)" }.joined(separator: " ")
    #expect(joined.contains("只看 p 则选 \(unbiased)"), "what p alone would choose is on screen")
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 60 }, "nothing wider than the screen")
}

private let tinyMoE = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Models/tiny-ernie-moe").standardizedFileURL.path

/// Walk 14 finding 4: at 80×24 the bars of tiny-ernie-moe's 8 experts lost e5, at 60×20 all but one, without a word;
/// and they were headed "token". Every expert's p is on screen now — as a bar, or named on a line that says how
/// many bars had no room — on every layer, for the first and the last token, in both languages.
@Test(arguments: [(80, 24), (60, 20)])
func everyExpertsPIsOnScreenUnderAnExpertHeading(size: (cols: Int, rows: Int)) throws {
    let report = try ExpertRouteReport.route("小猫坐在垫子上。", model: tinyMoE)
    let experts = report.layers[0].routing.experts
    #expect(experts == 8)
    for lang in [LessonLanguage.en, .zh] {
        let page = Learner.$language.withValue(lang) {
            ExpertRouteExplorerPage(explorer: ExpertRouteExplorer(modelName: "tiny-ernie-moe", report: report))
        }
        for keys: [Key] in [[], [.down], [.down, .down, .end], [.down, .down, .end, .home]] {
            for k in keys { _ = page.handle(k) }
            let screen = MemoryScreen(rows: size.rows, cols: size.cols)
            page.draw(on: screen)
            let lines = (0..<size.rows).map(screen.line)
            func isBar(_ line: String) -> Bool { line.range(of: #"^(▶| ) e[0-9]"#, options: .regularExpression) != nil }
            let bars = lines.filter(isBar)
            if let first = lines.firstIndex(where: isBar) {
                let heading = lines[first - 1]
                #expect(heading.hasPrefix(lang == .zh ? "  专家" : "  expert") && heading.hasSuffix("p"),
                        "the bars are headed expert:\n\(screen.text)")
            }
            let rest = lines.drop { !$0.contains(lang == .zh ? "条形放不下" : "no room for") }
                .prefix { !$0.contains(lang == .zh ? "↑/↓ 层" : "↑/↓ layer") }.joined(separator: " ")
            if size.cols == 80 {
                #expect(bars.count == experts && rest.isEmpty, "all 8 bars at 80×24:\n\(screen.text)")
            }
            let hidden = experts - bars.count
            if hidden > 0 {
                let count = bars.isEmpty ? (lang == .zh ? "\(hidden) 个专家的条形" : "no room for the \(hidden) bars")
                                         : (lang == .zh ? "另有 \(hidden) 个专家" : "\(hidden) more experts")
                #expect(rest.contains(count), "how many bars are hidden:\n\(screen.text)")
            }
            for e in 0..<experts {
                let bar = bars.contains { $0.dropFirst(2).hasPrefix("e\(e) ") }
                #expect(bar || rest.contains("e\(e) "), "e\(e) is on screen:\n\(screen.text)")
            }
        }
    }
}

/// However short the screen, the lines fit its height and every expert is there, as a bar or named with its p after
/// the count of bars there was no room for (16 experts of the fixture, heights from all bars down to none); lower
/// still, the list keeps its count and ends in "…".
@Test func theBarsGiveWayToANamedListAtEveryHeight() throws {
    let report = try ExpertRouteReport.route("The cat sat on the mat.", model: fixture)
    let explorer = ExpertRouteExplorer(modelName: "moe-tokenizer", report: report)
    let experts = report.layers[0].routing.experts
    var partial = 0
    for height in 23...40 {
        let lines = explorer.lines(width: 100, height: height).map(\.text)
        #expect(lines.count <= height, "\(lines.count) lines at height \(height)")
        let bars = lines.filter { $0.range(of: #"^(▶| ) e[0-9]+ "#, options: .regularExpression) != nil }
        let rest = lines.drop { !$0.contains("no room for") }.joined(separator: " ")
        if !bars.isEmpty && bars.count < experts {
            partial += 1
            #expect(rest.hasPrefix("\(experts - bars.count) more experts, no room for their bars: "), "\(rest)")
        }
        for e in 0..<experts {
            #expect(bars.contains { $0.dropFirst(2).hasPrefix("e\(e) ") } || rest.contains("e\(e) "),
                    "e\(e) at height \(height):\n\(lines.joined(separator: "\n"))")
        }
    }
    #expect(partial > 0, "some heights show a few bars and name the rest")
    let short = explorer.lines(width: 100, height: 22).map(\.text)
    #expect(short.count == 22 && short[20].hasPrefix("no room for the \(experts) bars: ") && short[21].hasSuffix("…"),
            "\(short.suffix(2))")
}
