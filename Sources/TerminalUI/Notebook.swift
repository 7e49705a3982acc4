// Notebook — `lmlab` with no command on a terminal: the ncurses notebook (home → lessons → cells).
//
// When curses cannot be used (not a terminal, TERM=dumb) the caller falls back to the plain-text home screen, so
// `lmlab | less` and CI logs still get something readable. Cells run through the executor the caller makes (LabCLI's
// LessonCellExecutor, with capture on), so their output lands inside the lesson instead of over the screen.
import Foundation
import Lab
import LabCore

public enum Notebook {
    /// The environment the notebook opens with when the command line asks for it — `lmlab` alone, or `lmlab --lang
    /// en|zh` (or `--lang=zh`), which opens it in that language; nil when the line asks for
    /// something else.
    public static func environment(for words: [String], _ environment: [String: String]) -> [String: String]? {
        if words.isEmpty { return environment }
        guard let option = LessonLanguage.option(at: words[...]), option.words == words.count,
              let language = option.value.flatMap({ LessonLanguage(rawValue: $0.lowercased()) }) else { return nil }
        return environment.merging(["LMLAB_LANG": language.rawValue]) { $1 }
    }

    /// Runs the notebook until the learner quits; false (having drawn nothing) when it cannot run here.
    /// - Parameters:
    ///   - completion: the REPL's completion (the command tree), which the edit line completes with.
    ///   - makeExecutor: runs a lesson's cells in its language, laid out for the given number of columns (nil: each
    ///     run's own, `Learner.columns`).
    public static func openIfPossible(environment: [String: String], completion: @escaping () -> CommandCompletion,
                                      makeExecutor: @escaping (LessonLanguage, Int?) -> CellExecutor) -> Bool {
        guard CursesScreen.unavailableReason(environment: environment) == nil else { return false }
        guard let course = try? Course.ofProject() else { return false }   // the text home reports the error
        let progress = ProgressStore(directory: ProgressStore.defaultDirectory(environment: environment))
        let screen: CursesScreen
        do { screen = try CursesScreen(environment: environment) } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return false
        }
        // LMLAB_LANG is asked for now; the language chosen last time with `l` comes before the locale's.
        let language = progress.learnerLanguage(environment: environment)
        // A zh lesson's cells answer in Chinese; each run is laid out at the cell's width of the moment (LessonPage).
        let home = HomePage(course: course, language: language, progress: progress, makeExecutor: { lessonLanguage in
            makeExecutor(lessonLanguage, nil)
        })
        home.complete = completer(completion)
        home.history = CommandHistory.standard(environment: environment)     // shared with `lmlab repl`
        let app = App(screen: screen, keys: screen, root: home)
        if environment["LMLAB_EXIT_AFTER_FIRST_FRAME"] == "1" {
            // `scripts/bench_ui.sh`: launch → first frame on the terminal → exit, timed from outside.
            app.redraw()
        } else {
            PageHandoff.shared.accept { app.run() }   // cells may open explorers in this app
        }
        screen.end()
        return true
    }

    /// Tab in the edit line, as in `lmlab repl`: `completion` (made on the first Tab: reading the exercises and
    /// lessons it offers slowed start-up) asked about the text before the word.
    static func completer(_ completion: @escaping () -> CommandCompletion) -> InputLine.Completer {
        var made: CommandCompletion?
        return { before, word in
            let c = made ?? completion()
            made = c
            return c.candidates(before: before, word: word)
        }
    }
}
