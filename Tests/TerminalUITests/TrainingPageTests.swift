// The training page: the progress lines and the loss curve from the reports it gets, q refused while the run goes
// on, Ctrl-C asks the run to stop and the page then says it was stopped; and a view offered "immediately" by a
// running cell is shown at once, while an explorer waits for the cell to end.
import Foundation
import Testing
import LabCore
@testable import Lab
@testable import TerminalUI

private func meter(steps: Int) -> TrainingMeter {
    var m = TrainingMeter(totalSteps: 100)
    for s in 1...steps { _ = m.record(step: s, loss: 5.0 / Double(s) + 1, tokens: 1000) }
    return m
}

@Test func trainingPageDrawsTheCurveAndHandlesStopAndBack() {
    var cancelled = 0
    let page = TrainingPage(title: "Training the toy", cancel: { cancelled += 1 })
    let screen = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: screen)
    #expect(screen.text.contains("waiting for the first step"))
    page.update(TrainingProgress(meter: meter(steps: 30)))
    page.appendOutput("toy: 10 parameters\n")
    #expect(page.tick(), "new reports ask for a redraw")
    page.draw(on: screen)
    print(screen.text)
    #expect(screen.text.contains("step 30/100") && screen.text.contains("↑ loss") && screen.text.contains("• loss  ∘ smoothed"))
    #expect(screen.text.contains("toy: 10 parameters"), "the run's own messages are shown")
    #expect(isStay(page.handle(.char("q"))) && page.isBusy, "q does not leave a running training")
    page.cancelRunning()
    #expect(cancelled == 1)
    page.finish(.done)
    page.draw(on: screen)
    #expect(screen.text.contains("stopped (Ctrl-C) — what was trained is saved"), "a stopped run is not called done")
    #expect(!page.isBusy && isBack(page.handle(.char("q"))))
}

private func isBack(_ a: PageAction) -> Bool { if case .back = a { return true }; return false }
private func isStay(_ a: PageAction) -> Bool { if case .stay = a { return true }; return false }

private final class Keys: KeySource {
    var keys: [Key?]
    init(_ keys: [Key?]) { self.keys = keys }
    func nextKey(timeoutMilliseconds: Int32) -> Key? { keys.isEmpty ? .char("q") : keys.removeFirst() }
}

/// A busy page standing in for a lesson whose cell runs.
private final class BusyPage: LivePage {
    var busy = true
    func draw(on screen: Screen) { screen.put("lesson", row: 0, col: 0) }
    func handle(_ key: Key) -> PageAction { key == .char("q") ? .back : .stay }
    var isBusy: Bool { busy }
    func tick() -> Bool { false }
    func cancelRunning() {}
    var keyHelp: String { "" }
}

private final class Marker: Page {
    let name: String
    init(_ name: String) { self.name = name }
    func draw(on screen: Screen) { screen.put(name, row: 0, col: 0) }
    func handle(_ key: Key) -> PageAction { .back }
    var keyHelp: String { "" }
}

@Test func immediatePagesOpenWhileTheCellRunsExplorersAfter() {
    let lesson = BusyPage()
    let app = App(screen: MemoryScreen(rows: 10, cols: 40), keys: Keys([]), root: lesson)
    PageHandoff.shared.accept {
        PageHandoff.shared.offer(Marker("explorer"))
        PageHandoff.shared.offer(Marker("training"), immediate: true)
        app.showHandedOffPages()
        #expect((app.stack.last as? Marker)?.name == "training" && app.stack.count == 2, "only the view of the running cell opens now")
        app.handle(.char("x"))              // the training view goes back: the lesson is on top, still busy
        app.showHandedOffPages()
        #expect(app.stack.count == 1, "the explorer still waits: the cell runs")
        lesson.busy = false
        app.showHandedOffPages()
        #expect((app.stack.last as? Marker)?.name == "explorer", "the explorer opens once the cell has ended")
    }
    #expect(PageHandoff.shared.take() == nil, "nothing is left over after the app")
}

@Test func aWatchedRunStoppedOrFailedSaysSoInTheLessonsLanguage() {
    struct Broken: Error, CustomStringConvertible { var description: String { "disk full" } }
    let endings = [TrainingEnding(nil), TrainingEnding(CancellationRequested()), TrainingEnding(Broken())]
    #expect(endings == [.done, .stopped, .failed("disk full")])
    let zh = Learner.$language.withValue(.zh) { endings.map { $0.words(afterCtrlC: false) } + [TrainingEnding.done.words(afterCtrlC: true)] }
    let en = Learner.$language.withValue(.en) { endings.map { $0.words(afterCtrlC: false) } + [TrainingEnding.done.words(afterCtrlC: true)] }
    #expect(zh == ["完成", "已停止（Ctrl-C）", "失败：disk full", "已停止（Ctrl-C）—— 训练所得已保存"])
    #expect(en == ["done", "stopped (Ctrl-C)", "failed: disk full", "stopped (Ctrl-C) — what was trained is saved"])
}

/// A run started in a zh lesson: the page's progress line, sparkline, curve axes and legend are Chinese, with the
/// same figures as the English page.
@Test func aTrainingPageStartedInAChineseLessonSpeaksChinese() {
    let page = Learner.$language.withValue(.zh) { TrainingPage(title: "训练 toy", cancel: {}) }
    let progress = Learner.$language.withValue(.zh) { TrainingProgress(meter: meter(steps: 30)) }
    page.update(progress)
    page.finish(.done)
    let screen = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: screen)
    let text = screen.text
    print(text)
    #expect(text.contains("第 30/100 步 损失 ") && text.contains("（平滑 ") && text.contains("词元/秒"))
    #expect(text.contains("↑ 损失") && text.contains("• 损失  ∘ 平滑") && text.contains("· 完成"))
    for english in ["step", "loss", "smoothed", "avg", "tok/s", "ETA", "done"] {
        #expect(!text.contains(english), "no English \"\(english)\" on a zh training page")
    }
}

/// At 60 columns the Chinese progress line (a few cells wider than the English) keeps its ETA: what does not fit
/// goes to a second line instead of being cut to "剩".
@Test func aChineseTrainingPageAt60ColumnsKeepsItsETA() {
    // One step recorded 10 s after the start: 174,340 tokens → 17,434 tokens/s; 200 steps left → 33:20.
    let clock = FakeClock()
    var meter = TrainingMeter(totalSteps: 400, clock: { clock.now })
    clock.now = 10
    let sample = meter.record(step: 200, loss: 3.16, tokens: 174_340)
    let page = Learner.$language.withValue(.zh) { TrainingPage(title: "训练小 ERNIE", cancel: {}) }
    page.update(TrainingProgress(totalSteps: 400, samples: [sample]))
    let screen = MemoryScreen(rows: 20, cols: 60)
    page.draw(on: screen)
    let text = screen.text
    print(text)
    #expect(text.contains("第 200/400 步 损失 3.160（平滑 3.160） 17,434 词元/秒"), "\(text)")
    #expect(text.contains("剩余 33:20"), "the ETA is on screen: \(text)")
    for r in 0..<screen.rows { #expect(EastAsianWidth.cells(screen.line(r)) <= 60) }
    // English: one line at 80 columns; at 60 its ETA moves down too.
    let en = { (width: Int) in
        Learner.$language.withValue(.en) { OutputLayout.lines(.progress(TrainingProgress(totalSteps: 400, samples: [sample])), width: width).map(\.text) }
    }
    #expect(en(80).first == "step 200/400  loss 3.160 (smoothed 3.160)  17,434 tok/s  ETA 33:20")
    #expect(Array(en(60).prefix(2)) == ["step 200/400  loss 3.160 (smoothed 3.160)  17,434 tok/s", "ETA 33:20"])
}

/// A clock a test sets by hand.
private final class FakeClock: @unchecked Sendable {
    var now = 0.0
}

/// The run's messages under the curve are whole: a long one that no longer fits is left out, not cut at its start
/// (the page began with a stray "个线程": w17 explorer walk 6).
@Test func theMessagesUnderTheCurveAreWhole() {
    let page = TrainingPage(title: "Training the toy", cancel: {})
    page.update(TrainingProgress(meter: meter(steps: 30)))
    let long = "BEGINNING " + String(repeating: "a long summary of the model and its corpus ", count: 6) + "ENDING"
    page.appendOutput(long + "\nsecond message\nthird message\nfourth: saved to /tmp/x\n")
    let screen = MemoryScreen(rows: 30, cols: 60)
    page.draw(on: screen)
    let shown = screen.text
    #expect(shown.contains("fourth: saved to /tmp/x") && shown.contains("second message"), "\(shown)")
    #expect(shown.contains("BEGINNING") == shown.contains("ENDING"), "a message is shown whole or not at all:\n\(shown)")
}
