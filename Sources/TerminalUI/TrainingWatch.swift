// TrainingWatch — `lmlab train … --explore`: the run on a full-screen TrainingPage (loss curve, tok/s, ETA).
//
//   notebook cell   the page is pushed at once over the lesson; the training runs in the cell as usual (its
//                   output captured into the cell, Ctrl-C on the page stops it), the curve fed by
//                   `TrainingProgressLine.watcher`
//   command line    the training runs on a background thread with fd 1/2 captured into the page; curses draws on
//                   the terminal; q returns to the shell once the run has ended
//   headless cell   (`lmlab lesson run`) the run prints its progress as without --explore
import Foundation
import Lab
import LabCore

public enum TrainingWatch {
    /// True while a watched run's own body runs (the command's `run` calls back in; it must then just train).
    nonisolated(unsafe) private static var inside = false

    /// With `explore` (and not already inside a watched run), runs `body` — the command's own `run` — under a
    /// TrainingPage and returns true; otherwise returns false and the caller trains as usual.
    public static func run(if explore: Bool, title: String, _ body: @escaping () throws -> Void) throws -> Bool {
        guard explore, !inside else { return false }
        try run(title: title) {
            inside = true
            defer { inside = false }
            try body()
        }
        return true
    }

    private static func run(title: String, _ body: @escaping () throws -> Void) throws {
        let scope = Cancellation.scope                   // a notebook cell's: the page's q asks that cell to stop
        let page = TrainingPage(title: title, cancel: { Cancellation.request(in: scope) })
        if LessonCellRun.running && !PageHandoff.shared.accepting {
            try body()                                   // headless lesson run: plain progress lines
            return
        }
        // The trainers' progress lines (Lab's TrainingProgressLine) feed the page and stay silent meanwhile.
        TrainingProgressLine.watcher = { meter in page.update(TrainingProgress(meter: meter)) }
        defer { TrainingProgressLine.watcher = nil }
        if PageHandoff.shared.offer(page, immediate: true) {
            do { try body(); page.finish(.done) } catch { page.finish(TrainingEnding(error)); throw error }
            return
        }
        try ExplorerLauncher.runOnTerminal(page, hint: Learner.text("leave out --explore for the progress line",
                                                                     "去掉 --explore 看进度行")) {
            Cancellation.reset()
            // A Thread does not inherit task-locals: the language of the line's --lang, the width and the environment
            // the command was given are bound again inside it.
            let (language, columns, environment) = (Learner.language, Learner.columns, LabEnvironment.override)
            Thread {
                Learner.$language.withValue(language) { Learner.$columns.withValue(columns) {
                    LabEnvironment.$override.withValue(environment) {
                        OutputCapture.run({
                            do { try body(); page.finish(.done) } catch { page.finish(TrainingEnding(error)) }
                        }, chunk: page.appendOutput)
                    }
                } }
            }.start()
        }
    }
}
