// LessonPageExercise — an exercise cell's loop in the lesson page (rustlings, inside the lesson): Enter opens the
// learner's file in $EDITOR with the terminal handed over (or in the built-in editor where EDITOR is unset), the
// cell's `exercise check NAME --hint` runs when the editor returns: a failed check prints the next hint with its
// verdict.

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
            return .open(ExerciseEditorPage(file: file, language: state.language) { [weak self] in self?.checkExercise(cell) })
        }
        let language = state.language                    // the hand-over runs outside the page's language
        return .handOver { [weak self] in
            do { try Learner.$language.withValue(language) { try ExternalEditor.run(editor, file: file) } } catch {
                self?.message = "\(error)"             // no check: the learner reads why the editor failed
                return
            }
            self?.checkExercise(cell)
        }
    }

    /// Runs the cell's check with `--hint` (`LabCell.hintedCheck`): when it fails, the next hint follows the verdict.
    func checkExercise(_ cell: LabCell) {
        start(cell, commands: cell.hintedCheck)
    }
}
