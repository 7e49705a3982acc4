// ExerciseCell — the rustlings loop inside a lesson. A cell whose one line is `exercise check NAME` is an exercise
// cell: in the notebook Enter opens the learner's file in $EDITOR (or the built-in editor), checks it when the
// editor returns (`hintedCheck`), and shows the verdict and, after a failure, the next hint under the cell. The
// file is the one `lmlab exercise check` builds (ExerciseCatalog.workFile); hints are counted in progress.json as
// `lmlab exercise hint` counts them.

import Foundation
import LabCore

extension LabCell {
    /// NAME when the cell's only line is `exercise check NAME` (options may follow the name), else nil.
    public var exerciseName: String? {
        guard commands.count == 1, let words = try? CommandWords.split(commands[0]), words.count >= 3,
              words[0] == "exercise", words[1] == "check", !words[2].hasPrefix("-") else { return nil }
        return words[2]
    }

    /// NAME when the cell is exactly `exercise check NAME`: the form a headless run shows as the exercise instead of
    /// checking (ExerciseCellCard). A cell with options (`--model`, `--api`) runs headless as the command it is.
    public var plainExerciseName: String? {
        guard let name = exerciseName, (try? CommandWords.split(commands[0]))?.count == 3 else { return nil }
        return name
    }

    /// What the notebook runs when its editor returns: the cell's check with `--hint`, so that a failure prints the
    /// next hint after the verdict. nil for a cell that is not an exercise cell.
    public var hintedCheck: [String]? {
        guard exerciseName != nil else { return nil }
        return (try? CommandWords.split(commands[0]))?.contains("--hint") == true ? commands : [commands[0] + " --hint"]
    }

    /// The ERNIE checkpoints the cell's lines name (`--model ernie-4.5-0.3b-base`, `--compare …`), in order, for the
    /// check that an ERNIE-only cell's weights are there; ernie-4.5-0.3b when it names none.
    public var ernieModels: [String] {
        var names: [String] = []
        for line in commands {
            let words = (try? CommandWords.split(line)) ?? []
            for (option, value) in zip(words, words.dropFirst()) where option.hasPrefix("--")
                && value.lowercased().hasPrefix("ernie-") && !names.contains(value) { names.append(value) }
        }
        return names.isEmpty ? ["ernie-4.5-0.3b"] : names
    }

    /// True when `lines` (what a run of this cell ran) are the learner's edit: neither the lesson's own lines nor
    /// the notebook's hinted check of them.
    public func isEdit(_ lines: [String]) -> Bool { lines != commands && lines != hintedCheck }
}

/// One hint of an exercise, as `exercise hint` and `exercise check --hint` print it.
public struct ExerciseHint: Equatable, Sendable {
    /// 1-based.
    public let number: Int
    public let count: Int
    public let text: String

    /// "hint 2/3: …" (and "the last hint" after the last), in the learner's language.
    public var line: String {
        Learner.text("hint \(number)/\(count): ", "提示 \(number)/\(count)：") + text
            + (number == count ? Learner.text(" (the last hint)", "（最后一条提示）") : "")
    }
}

extension ProgressStore {
    /// The hint of `entry` to show next in `language`, counted as shown in progress.json under its lock, so two
    /// processes asking at once each get the next one. After a failed check whose case names hints (`about`, else
    /// the last failure's `failureHints`), the first of those not yet shown — the one about the learner's slip —,
    /// and when all were shown, the most direct of them again; otherwise the first hint not yet shown, and after the
    /// last, the last again. `hint` is nil when it has none. When progress.json cannot be written the hint is
    /// still chosen, uncounted, and `unsaved` says why.
    public func showNextHint(_ entry: ExerciseEntry, in language: LessonLanguage,
                             about: [Int]? = nil) -> (hint: ExerciseHint?, unsaved: Error?) {
        let hints = entry.hints(language)
        guard !hints.isEmpty else { return (nil, nil) }
        func next(_ p: LabProgress) -> Int {                           // 1-based
            let state = p.exercise(entry.name), seen = state.seenHints
            let targets = (about ?? state.failureHints ?? []).filter { (1...hints.count).contains($0) }
            return targets.first { !seen.contains($0) } ?? targets.last
                ?? (1...hints.count).first { !seen.contains($0) } ?? hints.count
        }
        do {
            let k = try modify { p -> Int in
                let k = next(p)
                p.updateExercise(entry.name) { s in
                    let seen = s.seenHints.union([k])
                    s.hintsSeen = seen.sorted()
                    s.hintsShown = seen.count
                }
                return k
            }
            return (ExerciseHint(number: k, count: hints.count, text: hints[k - 1]), nil)
        } catch {
            let k = next(progress)
            return (ExerciseHint(number: k, count: hints.count, text: hints[k - 1]), error)
        }
    }

    /// Exercises passed of each lesson's exercises in `catalog`: lesson number → (passed, total).
    public func exercisesDone(_ catalog: ExerciseCatalog) -> [Int: (passed: Int, total: Int)] {
        var out: [Int: (passed: Int, total: Int)] = [:]
        for e in catalog.entries {
            let now = out[e.lesson] ?? (0, 0)
            out[e.lesson] = (now.passed + (exercise(e.name).passed != nil ? 1 : 0), now.total + 1)
        }
        return out
    }
}
