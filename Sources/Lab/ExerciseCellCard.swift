// ExerciseCellCard — what an exercise cell shows where nobody can edit: headless `lmlab lesson run`, `lesson export`,
// CI. In the notebook the cell opens the learner's file and checks it; run headless, checking would build the shipped
// starter, which fails by design, and an unsolved exercise is not a broken lesson. So the cell shows the exercise
// instead: its name and title, the file, the one-line contract (the function's signature), what the check compares,
// where the learner stands, and the command that checks it. Where the learner stands is read, never computed: the
// file against the starter and the last check in progress.json (a check builds with swiftc, seconds per exercise, too
// slow for a course of 26 of them). A name the catalog does not know fails the cell: that is the lesson's mistake.

import Foundation
import LabCore

public enum ExerciseCellCard {
    /// Where the learner stands with an exercise, from its file and progress.json.
    public enum Standing: Equatable, Sendable {
        /// The file is gone (`exercise reset` restores it).
        case missing
        /// The file still equals the starter.
        case notStarted
        /// Passed at this date, and the file has not changed since the last check, which passed.
        case passed(Date)
        /// Passed at this date, but the file changed after the last check (or the last check failed).
        case editedSincePassing(Date)
        /// Edited; never passed, or not since the last change.
        case notPassingYet(checks: Int)

        /// Reads the standing of `entry` from the file's state and the exercise's record.
        public static func of(_ entry: ExerciseEntry, catalog: ExerciseCatalog, state: ExerciseState) -> Standing {
            let path = catalog.workFile(entry).path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return .missing }
            if catalog.isUntouched(entry) { return .notStarted }
            guard let passed = state.passed else { return .notPassingYet(checks: state.checks) }
            let modified = attributes[.modificationDate] as? Date ?? .distantFuture
            let unchanged = modified <= (state.lastChecked ?? passed)
            return unchanged && state.lastFailure == nil ? .passed(passed) : .editedSincePassing(passed)
        }

        /// One line, in the learner's language.
        public func line(_ name: String) -> String {
            switch self {
            case .missing:
                return Learner.text("the file is missing — `lmlab exercise reset \(name) --yes` restores the starter",
                                    "文件不见了——`lmlab exercise reset \(name) --yes` 会恢复初始文件")
            case .notStarted:
                return Learner.text("not started: the file is still the starter, which fails the check by design",
                                    "还没开始：文件仍是初始文件，它本来就通不过检查")
            case .passed(let date):
                return Learner.text("✓ passed (first on \(day(date))); the file is as last checked",
                                    "✓ 已通过（首次在 \(day(date))）；文件与上次检查时相同")
            case .editedSincePassing(let date):
                return Learner.text("passed on \(day(date)); the file has changed or failed a check since: check it again",
                                    "\(day(date)) 通过过；之后文件改动过或没通过检查：请再检查一次")
            case .notPassingYet(let checks) where checks == 0:
                return Learner.text("edited, not checked yet", "已改动，还没检查")
            case .notPassingYet(let checks):
                return Learner.text("not passing yet (checked \(checks) time\(checks == 1 ? "" : "s")) — `lmlab exercise hint \(name)` when stuck",
                                    "还没通过（已检查 \(checks) 次）——卡住时运行 `lmlab exercise hint \(name)`")
            }
        }

        private func day(_ date: Date) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withFullDate]
            return f.string(from: date)
        }
    }

    /// The card for the exercise `name` (the lines end in a newline), or a failure naming the cell's fix.
    /// - Parameters:
    ///   - catalog: the exercises; nil reads the project's.
    ///   - progress: the learner's record; nil reads progress.json from the state folder.
    /// - Throws: `ExerciseError` when there is no catalog, or no exercise by that name.
    public static func text(_ name: String, catalog: ExerciseCatalog? = nil, progress: ExerciseState? = nil) throws -> String {
        let catalog = try catalog ?? ExerciseCatalog.ofProject()
        let entry: ExerciseEntry
        do { entry = try catalog.entry(name) } catch {
            throw ExerciseError(Learner.text("this exercise cell names an exercise the lab does not have (correct the name in the cell): ",
                                             "这个练习单元写的练习不存在（请改正单元里的名字）：") + "\(error)")
        }
        let lang = Learner.language
        let state = progress ?? ProgressStore().exercise(name)
        let file = HeadlessLesson.shownPath(catalog.workFile(entry))
        // Laid out at the cell's width when it has one (a headless run at the terminal's): a field's continuation
        // lines start under its value, not at the terminal's left edge.
        var lines: [String] = []
        func add(_ text: String, under indent: Int = 0) {
            guard let columns = Learner.columns else { lines.append(text); return }
            lines += CommandGuide.wrapped(text, width: columns, hangingIndent: indent)
        }
        add(Learner.text("✎ Exercise \(name) (lesson \(entry.lesson)): \(entry.title(lang))",
                         "✎ 练习 \(name)（第 \(entry.lesson) 课）：\(entry.title(lang))"), under: 2)
        func field(_ en: String, _ zh: String, _ value: String) {
            let label = Learner.text("  " + en.padding(toLength: 10, withPad: " ", startingAt: 0), "  " + zh + "：")
            add(label + value, under: EastAsianWidth.cells(label))
        }
        field("file", "文件", file)
        if let contract = contract(entry, catalog) { field("contract", "约定", contract) }
        field("checks", "检查", entry.checks(lang))
        field("status", "进度", Standing.of(entry, catalog: catalog, state: state).line(name))
        let here = Learner.text("In the notebook this cell opens the file in your editor and checks it when you come back; here, run: ",
                                "在笔记本里，这个单元会在编辑器里打开文件，回来时检查；在这里请运行："), command = "lmlab exercise check \(name)"
        if let columns = Learner.columns, EastAsianWidth.cells(here + command) > columns {
            add(here.trimmingCharacters(in: .whitespaces))
            lines.append("  " + command)                                  // the command whole, on a line of its own
        } else {
            lines.append(here + command)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The function the learner writes, as its starter declares it: from the first line that begins with `func ` to
    /// the `{` that opens its body, on one line.
    static func contract(_ entry: ExerciseEntry, _ catalog: ExerciseCatalog) -> String? {
        guard let text = try? String(contentsOf: catalog.starterFile(entry), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(where: { $0.hasPrefix("func ") }) else { return nil }
        var signature: [String] = []
        for line in lines[start...].prefix(6) {
            guard let brace = line.firstIndex(of: "{") else { signature.append(line); continue }
            signature.append(line[..<brace].trimmingCharacters(in: .whitespaces))
            break
        }
        return signature.joined(separator: " ")
    }
}
