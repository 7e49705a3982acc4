// Where the learner is with the exercises: `exercise list` (each lesson's exercises and their state), `exercise hint`
// (the next hint, counted under the progress lock) and `exercise reset` (the starter back, the learner's version
// kept beside it). The progress itself is Lab's ProgressStore.
import Foundation
import Lab
import LabCore

public enum ExerciseProgress {
    /// The exercises grouped by lesson, with the lesson's title and the learner's progress on each.
    public static func list(_ catalog: ExerciseCatalog, store: ProgressStore, lang: LessonLanguage) -> [String] {
        let say = { (en: String, zh: String) in lang == .zh ? zh : en }
        let titles = (try? Course.ofProject()).map { c in Dictionary(c.lessons.map { ($0.number, $0.title(lang)) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
        var lines: [String] = []
        for lesson in Set(catalog.entries.map(\.lesson)).sorted() {
            let entries = catalog.entries.filter { $0.lesson == lesson }
            let done = entries.filter { store.exercise($0.name).passed != nil }.count
            if !lines.isEmpty { lines.append("") }
            lines.append(say("Lesson", "第") + " \(lesson)" + say("", " 课")
                         + (titles[lesson].map { " · \($0)" } ?? "") + "  (\(done)/\(entries.count))")
            for e in entries {
                let s = store.exercise(e.name)
                // Passed once, and changed or failing since (ExerciseCellCard's standing, the cell's own rule): both,
                // so a stale ✓ does not mislead. The file is looked at only for an exercise that passed.
                let changed = s.passed != nil && {
                    if case .editedSincePassing = ExerciseCellCard.Standing.of(e, catalog: catalog, state: s) { return true }
                    return false
                }()
                let status = s.passed != nil ? (changed ? say("✓ passed, changed since", "✓ 曾通过，之后改过") : say("✓ passed", "✓ 已通过"))
                    : s.checks > 0 ? say("✗ failing (\(s.checks) check\(s.checks == 1 ? "" : "s"))", "✗ 未通过（检查 \(s.checks) 次）")
                    : catalog.isUntouched(e) ? say("not started", "未开始") : say("edited, not checked", "已修改，未检查")
                let hints = s.hintsShown > 0 ? " · \(s.hintsShown)/\(e.hints(lang).count) " + say("hints", "提示") : ""
                lines.append("  " + EastAsianWidth.pad(e.name, toCells: 20) + EastAsianWidth.pad(status + hints, toCells: 24) + e.title(lang))
            }
        }
        lines.append("")
        lines.append(say("Edit Lessons/exercises/NAME.swift, then: lmlab exercise check NAME (or leave lmlab exercise watch running)",
                         "编辑 Lessons/exercises/NAME.swift，然后运行：lmlab exercise check NAME（或让 lmlab exercise watch 一直运行）"))
        return lines
    }

    /// The next hint for `entry`, counted in `store` (`ProgressStore.showNextHint`: under the progress lock, so
    /// hint runs at once each show the next one). When the count could not be saved the hint is still returned,
    /// with the error that says why (`unsaved`).
    public static func nextHint(_ entry: ExerciseEntry, store: ProgressStore, lang: LessonLanguage,
                                about: [Int]? = nil) -> (lines: [String], unsaved: Error?) {
        Learner.$language.withValue(lang) {
            let (hint, unsaved) = store.showNextHint(entry, in: lang, about: about)
            return ([hint?.line ?? Learner.text("\(entry.name) has no hints.", "\(entry.name) 没有提示。")], unsaved)
        }
    }

    /// Whether the learner agrees to overwrite their file `work` with the starter: yes with `--yes` or when a lesson
    /// cell's policy has asked already (`asked`: the notebook's y/n, and the terminal is the notebook's); else the
    /// question on the terminal, where only "yes" agrees.
    /// - Throws: `ExerciseError` when there is no terminal to ask on.
    public static func confirmReset(_ work: URL, yes: Bool, asked: Bool) throws -> Bool {
        if yes || asked { return true }
        guard isatty(0) == 1 else {
            throw ExerciseError(Learner.text(
                "reset would overwrite your \(work.lastPathComponent). HINT: add --yes to confirm (no terminal to ask on).",
                "重置会覆盖你的 \(work.lastPathComponent)。HINT：加上 --yes 确认（没有终端可以询问）。"))
        }
        print(Learner.text("Overwrite \(work.path) with the starter? Your changes will be lost. Type yes: ",
                           "用初始文件覆盖 \(work.path)？你的修改会丢失。输入 yes 确认："), terminator: "")
        fflush(stdout)
        return readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes"
    }

    /// `exercise reset`: the line to print — the file is the starter already, the learner kept it (asked first
    /// unless `yes` or `asked`, as `confirmReset` does), or it was reset (`reset`, progress in `store()`).
    public static func reset(_ entry: ExerciseEntry, catalog: ExerciseCatalog, yes: Bool, asked: Bool,
                             store: () -> ProgressStore) throws -> String {
        let work = catalog.workFile(entry)
        if catalog.isUntouched(entry) {
            return Learner.text("\(work.path) is already the starter; nothing to reset.", "\(work.path) 已经是初始文件，不用重置。")
        }
        guard try confirmReset(work, yes: yes, asked: asked) else { return Learner.text("Kept your file.", "保留了你的文件。") }
        return try reset(entry, catalog: catalog, store: store())
    }

    /// Puts the starter file of `entry` back, keeps the learner's version (ExerciseCatalog.keepBackup), and clears the
    /// exercise's progress: the line to print.
    public static func reset(_ entry: ExerciseEntry, catalog: ExerciseCatalog, store: ProgressStore) throws -> String {
        let work = catalog.workFile(entry)
        let backup = try ExerciseCatalog.keepBackup(Data(contentsOf: work), of: work)
        let starter = try Data(contentsOf: catalog.starterFile(entry))
        try starter.write(to: work, options: .atomic)
        store.updateExercise(entry.name) { $0 = ExerciseState() }
        try store.save()
        return Learner.text("\(work.lastPathComponent) is the starter again (your version is in \(backup.lastPathComponent)).",
                            "\(work.lastPathComponent) 已恢复为初始文件（你的版本在 \(backup.lastPathComponent) 里）。")
    }
}
