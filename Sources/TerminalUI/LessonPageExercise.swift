// LessonPageExercise — an exercise cell's loop in the lesson page (rustlings, inside the lesson): Enter opens the
// learner's file in $EDITOR with the terminal handed over (or in the built-in editor where EDITOR is unset), the
// cell's `exercise check NAME` runs when the editor returns, and a failed check shows the next hint under the cell.

import Foundation
import Lab
import LabCore

extension LessonPage {
    /// Enter on an exercise cell: the editor, then the check.
    func openExercise(_ cell: LabCell) -> PageAction {
        guard let name = cell.exerciseName else { return .stay }
        guard !isBusy else { message = zh ? "单元运行中（Ctrl-C 取消）。" : "A cell is running (Ctrl-C cancels it)."; return .stay }
        let catalog: ExerciseCatalog, entry: ExerciseEntry
        do {
            catalog = try ExerciseCatalog.ofProject()
            entry = try Learner.$language.withValue(state.language) { try catalog.entry(name) }
        } catch {
            message = "\(error)"
            return .stay
        }
        let file = catalog.workFile(entry)
        guard let editor = ExternalEditor.command(environment: environment) else {
            return .open(ExerciseEditorPage(file: file, language: state.language) { [weak self] in self?.checkExercise(cell, entry) })
        }
        return .handOver { [weak self] in
            do { try ExternalEditor.run(editor, file: file) } catch {
                self?.message = "\(error)"             // no check: the learner reads why the editor failed
                return
            }
            self?.checkExercise(cell, entry)
        }
    }

    /// Runs the cell's check; when it fails, `tick` shows the next hint.
    func checkExercise(_ cell: LabCell, _ entry: ExerciseEntry) {
        state.exerciseHints[cell.id] = nil
        checkingExercise = (cell.id, entry)
        start(cell, commands: nil)
    }

    /// The next hint under the cell, counted in progress.json as `lmlab exercise hint` counts it.
    func showNextHint(_ entry: ExerciseEntry, under cell: LabCell) {
        guard let progress else { return }
        do {
            try Learner.$language.withValue(state.language) {
                if let hint = try progress.showNextHint(entry, in: state.language) { state.exerciseHints[cell.id] = hint.line }
            }
        } catch {
            message = "\(error)"
        }
    }
}
