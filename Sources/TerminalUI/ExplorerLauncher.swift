// ExplorerLauncher — opens an explorer page full screen from a command (`lmlab sample --explore`, `lmlab beam
// --explore`): curses on the terminal, the page as the app's root, back to the shell when the learner presses q.
// From a lesson cell in the notebook the page is handed to the notebook's app instead (PageHandoff); in a cell run
// headless (Lab's `LessonCellRun.running`, set by LabCLI's LessonCellExecutor) its first screen is printed as text.
import Foundation
import Lab
import LabCore

public enum ExplorerLauncher {
    public struct NoTerminal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `page` until the learner leaves it.
    /// - Throws: `NoTerminal` (with the reason and what to use instead) when curses cannot run here.
    public static func open(_ page: Page, environment: [String: String] = LabEnvironment.current) throws {
        // Inside the notebook (a lesson cell): the notebook shows the page; q comes back to the lesson.
        if PageHandoff.shared.offer(page) {
            print(Learner.text("opened full screen; q there comes back here, Enter opens it again",
                               "已全屏打开过；在那里按 q 回到这里，按 Enter 再次打开"))
            return
        }
        // A cell run headless (`lmlab lesson run`, tests): print the explorer's first screen as text.
        if LessonCellRun.running {
            let screen = MemoryScreen(rows: 24, cols: min(120, max(60, Learner.columns ?? Int(environment["COLUMNS"] ?? "") ?? 80)))
            page.draw(on: screen)
            let lines = screen.text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            // Runs of empty rows (the space the full screen leaves for growth) print as one.
            let kept = lines.enumerated().filter { i, line in !(line.isEmpty && i > 0 && lines[i - 1].isEmpty) }.map(\.element)
            print(kept.joined(separator: "\n"))
            print(Learner.text("(the explorer's first screen as text; in the notebook this cell opens it full screen)",
                               "（探索器的第一屏，以文字显示；在笔记本里，这个单元会全屏打开它）"))
            return
        }
        try runOnTerminal(page, environment: environment)
    }

    /// Curses on the terminal with `page` as the app's root until the learner leaves it; `starting` runs once the
    /// terminal is known to be usable, before the first frame (a background job the page shows).
    /// - Throws: `NoTerminal` naming the reason and `hint`, before `starting` runs.
    /// - Parameter hint: what to do instead, in the learner's language (default: the printed version).
    public static func runOnTerminal(_ page: Page, hint: String? = nil,
                              environment: [String: String] = LabEnvironment.current,
                              starting: () -> Void = {}) throws {
        if let reason = CursesScreen.unavailableReason(environment: environment) {
            let hint = hint ?? Learner.text("run it in a terminal, or leave out --explore for the printed version",
                                            "在终端里运行，或去掉 --explore 看打印版")
            throw NoTerminal(description: Learner.text("--explore needs a terminal (\(reason)). HINT: \(hint).",
                                                       "--explore 需要终端（\(reason)）。HINT：\(hint)。"))
        }
        let screen = try CursesScreen(environment: environment)
        defer { screen.end() }
        starting()
        App(screen: screen, keys: screen, root: page).run()
    }
}
