// TrainingPage — a training run full screen: the loss curve (raw and smoothed) growing as steps finish, tokens/s
// and the ETA, the run's own messages below; Ctrl-C stops it after the current step (the trainer saves a checkpoint),
// q goes back once it has ended. The run itself happens elsewhere (a lesson cell or a background thread); it reports
// here through `update`, `appendOutput` and `finish`, from any thread.

import Foundation
import Lab
import LabCore

/// How a watched run ended; the page words it in the language the run was started in.
public enum TrainingEnding: Sendable, Equatable {
    case done
    /// Ctrl-C reached the run as an error (a trainer that handles it itself ends `.done`, and the page, which saw
    /// the Ctrl-C, says it stopped with its work saved).
    case stopped
    case failed(String)

    public init(_ error: Error?) {
        switch error {
        case nil: self = .done
        case is CancellationRequested: self = .stopped
        case let error?: self = .failed("\(error)")
        }
    }

    /// The words after the title: "done", "stopped (Ctrl-C)", "failed: …"; `afterCtrlC` when the page asked the run
    /// to stop.
    func words(afterCtrlC: Bool) -> String {
        switch self {
        case .done where afterCtrlC: Learner.text("stopped (Ctrl-C) — what was trained is saved", "已停止（Ctrl-C）—— 训练所得已保存")
        case .done: Learner.text("done", "完成")
        case .stopped: Learner.text("stopped (Ctrl-C)", "已停止（Ctrl-C）")
        case .failed(let message): Learner.text("failed: ", "失败：") + message
        }
    }
}

public final class TrainingPage: LivePage {
    public let title: String
    private let cancel: () -> Void
    private let lock = NSLock()
    private var progress: TrainingProgress?
    private var output = ""
    private var status: TrainingEnding?
    private var changed = true
    private var cancelling = false
    public private(set) var message: String?
    /// The learner's language where the run was started (a zh lesson's cell: Chinese).
    private let language = Learner.language
    private var zh: Bool { language == .zh }

    /// - Parameter cancel: asks the run to stop (Ctrl-C).
    public init(title: String, cancel: @escaping () -> Void) {
        self.title = title
        self.cancel = cancel
    }

    public func update(_ p: TrainingProgress) { lock.lock(); progress = p; changed = true; lock.unlock() }
    public func appendOutput(_ text: String) { lock.lock(); output += text; changed = true; lock.unlock() }
    /// The run has ended.
    public func finish(_ ending: TrainingEnding) { lock.lock(); status = ending; changed = true; lock.unlock() }

    public var isBusy: Bool { lock.lock(); defer { lock.unlock() }; return status == nil }
    public func tick() -> Bool { lock.lock(); defer { lock.unlock() }; let c = changed; changed = false; return c }
    public func cancelRunning() {
        lock.lock(); cancelling = true; changed = true; lock.unlock()
        cancel()
    }

    public var keyHelp: String {
        isBusy ? (zh ? "Ctrl-C 在这一步之后停止（保留检查点）" : "Ctrl-C stops after this step (a checkpoint is kept)")
               : (zh ? "q 返回" : "q back")
    }

    /// Draws in the language the run was started in (the progress lines' wording follows it).
    public func draw(on screen: Screen) { Learner.$language.withValue(language) { drawPage(on: screen) } }

    private func drawPage(on screen: Screen) {
        let w = screen.cols
        lock.lock()
        let p = progress, text = output, stopping = cancelling
        let done = status.map { $0.words(afterCtrlC: stopping) }
        lock.unlock()
        if done != nil { message = nil }
        var head = StyledLine(title, .accent)
        head.append(done.map { "  · \($0)" } ?? (stopping ? (zh ? "  · 这一步之后停止…" : "  · stopping after this step…") : (zh ? "  · 运行中" : "  · running")),
                    done == nil ? .dim : .good)
        OutputView.frame(head, keyHelp: keyHelp, on: screen)
        // The curve takes what the screen has left after the run's last four messages, wrapped to the width (a cut
        // line loses its end, often the command to run next) and at most six rows.
        // Whole messages, the latest first: a message cut at its start read as a stray fragment ("个线程": w17
        // explorer walk 6). Only a single message longer than six rows loses its beginning.
        let messages = text.split(separator: "\n", omittingEmptySubsequences: true).suffix(4)
            .map { String($0.split(separator: "\r").last ?? "") }
        var logLines: [StyledLine] = []
        for message in messages.reversed() {
            let lines = OutputLayout.lines(.text(OutputText(message, .dim)), width: w)
            if !logLines.isEmpty && logLines.count + lines.count > 6 { break }
            logLines = Array(lines.suffix(6)) + logLines
        }
        let curveHeight = max(6, screen.rows - 3 - logLines.count)
        if let p, !p.samples.isEmpty {
            // The progress lines (step, loss, tok/s, ETA, bar), then the loss curve in the room that is left.
            let used = OutputView.draw(.progress(p), on: screen, top: 1, left: 0, width: w, height: curveHeight)
            if p.samples.count >= 2 && curveHeight - used >= 8 {
                let steps = p.samples.map { Double($0.step) }
                let loss = Learner.text("loss", "损失")
                let curve = LinePlot(xLabel: Learner.text("step", "步"), yLabel: loss, series: [
                    PlotSeries(name: loss, x: steps, y: p.samples.map(\.loss)),
                    PlotSeries(name: Learner.text("smoothed", "平滑"), x: steps, y: p.samples.map(\.smoothedLoss)),
                ])
                OutputView.draw(.linePlot(curve), on: screen, top: 2 + used, left: 0, width: w, height: curveHeight - used - 1)
            }
        } else {
            screen.put(zh ? "等待第一步…" : "waiting for the first step…", row: 2, col: 0, style: .dim)
        }
        OutputView.draw(logLines, on: screen, top: 1 + curveHeight, left: 0, width: w, height: logLines.count)
        if let message { screen.put(EastAsianWidth.truncate(message, toCells: w), row: screen.rows - 2, col: 0, style: .bad) }
        screen.hideCursor()
    }

    public func handle(_ key: Key) -> PageAction {
        message = nil
        switch key {
        case .char("q"), .escape:
            if isBusy { message = zh ? "训练正在进行：先按 Ctrl-C 停止" : "training is running: Ctrl-C stops it first"; return .stay }
            return .back
        default: return .stay
        }
    }
}
