// BeamExplorer — the state behind the beam-search explorer (lesson 3): the search tree growing one step per key.
//
// Beam search keeps the `beams` best partial sequences by S = Σ log P; a finished hypothesis is ranked by
// S / L^α (α = length penalty; see Decoding/BeamSearch.swift). The learner steps it (space), lets it run (a),
// changes the number of beams or α — the search is then re-run from the prompt to the same step, since a different
// width or α gives a different tree — folds subtrees, hides pruned candidates, and exports the tree as Graphviz DOT
// or JSON. Works on any LanguageModel (Decoding's `BeamStepper`). The page is TerminalUI/BeamExplorerPage.swift.

import Decoding
import Foundation
import LabCore

public final class BeamExplorer {
    public private(set) var settings: BeamSearchSettings
    public private(set) var stepper: any BeamStepping
    /// The prompt as text (the root of the tree).
    public let root: String
    public private(set) var folded: Set<Int> = []
    public var showPruned = true
    /// The node under the cursor; nil before the first step.
    public private(set) var selected: Int?
    /// Autoplay: the page steps on every tick until the search is done.
    public var autoplay = false
    /// The knob changed last (+/- beams, l/L length penalty), highlighted among the sliders.
    public private(set) var lengthPenaltyActive = false
    /// N when the model gives only its top N log-probs (a server, `--api`): beams expand over those N alone.
    public let topOnly: Int?

    private let makeStepper: (BeamSearchSettings) throws -> any BeamStepping
    private let piece: (Int) -> String
    private let detokenize: ([Int]) -> String

    /// Reads the prompt (one model call); no step is taken yet.
    public init<M: LanguageModel>(model: M, prompt: [Int], settings: BeamSearchSettings,
                                  piece: @escaping (Int) -> String, detokenize: @escaping ([Int]) -> String) throws {
        makeStepper = { try BeamStepper(model, prompt: prompt, settings: $0) }
        topOnly = model.topOnly
        self.settings = settings
        self.piece = piece
        self.detokenize = detokenize
        root = detokenize(prompt)
        stepper = try makeStepper(settings)
    }

    public var isDone: Bool { stepper.isDone }
    public var steps: Int { stepper.steps }

    /// One step of the search (one batched model call); false when it is over.
    @discardableResult
    public func step() throws -> Bool {
        let moved = try stepper.step()
        if moved, selected == nil { selected = tree.visibleOrder.first }
        if stepper.isDone { autoplay = false }
        return moved
    }

    /// Re-runs the search with `change` applied, to the same number of steps (at most until it ends).
    public func restart(_ change: (inout BeamSearchSettings) -> Void) throws {
        var s = settings
        change(&s)
        try s.validate()
        let target = stepper.steps
        let fresh = try makeStepper(s)
        while fresh.steps < target, try fresh.step() {}
        settings = s
        stepper = fresh
        folded = []
        selected = tree.visibleOrder.first
    }

    /// Beams ± 1, kept in 1…16.
    public func changeBeams(by delta: Int) throws {
        lengthPenaltyActive = false
        let b = min(16, max(1, settings.beams + delta))
        guard b != settings.beams else { return }
        try restart { s in
            s.beams = b
            s.numReturnSequences = min(s.numReturnSequences, b)
        }
    }

    /// α ± 0.25, kept in −2…4.
    public func changeLengthPenalty(by delta: Float) throws {
        lengthPenaltyActive = true
        let a = min(4, max(-2, settings.lengthPenalty + delta))
        guard a != settings.lengthPenalty else { return }
        try restart { $0.lengthPenalty = a }
    }

    // MARK: - Cursor, fold, pruned

    public func moveSelection(by delta: Int) {
        let order = tree.visibleOrder
        guard !order.isEmpty else { selected = nil; return }
        let i = selected.flatMap { order.firstIndex(of: $0) } ?? 0
        selected = order[min(order.count - 1, max(0, i + delta))]
    }

    /// Folds or unfolds the subtree under the cursor.
    public func toggleFold() {
        guard let s = selected else { return }
        if folded.contains(s) { folded.remove(s) } else { folded.insert(s) }
    }

    public func togglePruned() {
        showPruned.toggle()
        // The cursor leaves a node that is now hidden.
        if let s = selected, !tree.visibleOrder.contains(s) { moveSelectionToNearestVisible(from: s) }
    }

    private func moveSelectionToNearestVisible(from id: Int) {
        let order = tree.visibleOrder
        selected = order.last { $0 < id } ?? order.first
    }

    // MARK: - What to show

    public var tree: OutputBeamTree {
        var t = OutputBeamTree.from(stepper.tree, root: root, step: stepper.steps, piece: piece)
        let alpha = OutputLayout.number(Double(settings.lengthPenalty), 2)
        t.title = String(format: Learner.text("beam search · %d beams · length penalty α %@ · step %d/%d%@",
                                              "束搜索 · %d 束 · 长度惩罚 α %@ · 第 %d/%d 步%@"), settings.beams,
                         alpha, stepper.steps, settings.maxNewTokens, stepper.isDone ? Learner.text(" · done", " · 完成") : "")
        t.folded = folded.sorted()
        t.showPruned = showPruned
        t.selected = selected
        return t
    }

    /// The finished hypotheses so far, best first: rank, text, S / L^α.
    public var finishedTable: OutputTable {
        OutputTable(title: Learner.text("finished (best first, score = Σ log P / L^α)", "已完成（最好的在前，得分 = Σ log P / L^α）"),
                    headers: ["#", Learner.text("sequence", "序列"), Learner.text("score", "得分")],
                    rows: stepper.finished.enumerated().map { i, h in
                        ["\(i + 1)", detokenize(h.ids), OutputLayout.number(Double(h.score), 4)]
                    }, alignments: [.right, .left, .right])
    }

    /// The two knobs as sliders, drawn like the sampling explorer's: beams on 1–16, α on −2…4.
    public var sliders: [Slider] {
        [Slider(Learner.text("beams", "束数"), value: "\(settings.beams)", fraction: Double(settings.beams - 1) / 15, range: "1–16",
                active: !lengthPenaltyActive),
         Slider("α", value: OutputLayout.number(Double(settings.lengthPenalty), 2), fraction: (Double(settings.lengthPenalty) + 2) / 6,
                range: "−2…4", active: lengthPenaltyActive)]
    }

    public var output: Output {
        let knobs = sliders.enumerated().flatMap { k, slider in (k == 0 ? [] : [TextSpan("\n")]) + slider.line().spans }
        // Before the first step the tree is its root alone: say how it grows (it opened empty: w17 explorer walk 11).
        let start = stepper.steps == 0 && !isDone
            ? [Output.text(OutputText(Learner.text("space takes the first step; a plays the search to its end.",
                                                   "按空格走第一步；按 a 自动走完。"), .accent))] : []
        return .group(OutputGroup([.text(OutputText(spans: knobs)), .beamTree(tree)] + start + [.table(finishedTable)]))
    }

    // MARK: - Export

    public enum ExportFormat: String { case dot, json }

    /// Writes the tree to `beam-step<N>.<dot|json>` in `directory` (numbered -2, -3… so nothing is overwritten).
    /// - Returns: the file written.
    /// - Throws: the file system's error, naming the path.
    public func export(_ format: ExportFormat, to directory: URL) throws -> URL {
        var t = tree
        t.folded = []
        t.selected = nil
        t.showPruned = true
        let text = format == .dot ? t.dot : try jsonString(Output.beamTree(t))
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        catch {
            throw BeamExplorerError(Learner.text(
                "cannot create \(directory.path): \(error). HINT: set XDG_STATE_HOME to a writable folder.",
                "创建不了 \(directory.path)：\(error)。HINT：把 XDG_STATE_HOME 设为一个可写的文件夹。"))
        }
        let base = "beam-step\(stepper.steps)"
        var url = directory.appendingPathComponent("\(base).\(format.rawValue)")
        var n = 2
        while FileManager.default.fileExists(atPath: url.path) {
            url = directory.appendingPathComponent("\(base)-\(n).\(format.rawValue)")
            n += 1
        }
        do { try (text + "\n").write(to: url, atomically: true, encoding: .utf8) }
        catch {
            throw BeamExplorerError(Learner.text(
                "cannot write \(url.path): \(error). HINT: set XDG_STATE_HOME to a writable folder.",
                "写不了 \(url.path)：\(error)。HINT：把 XDG_STATE_HOME 设为一个可写的文件夹。"))
        }
        return url
    }
}

public struct BeamExplorerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
