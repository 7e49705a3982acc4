// LessonCellRun — what a command knows about the lesson cell it runs in, and the mark a cell's training run leaves.
//
// A lesson cell may write the learner's <state>/models unasked, but may not replace what is there (CellPolicy): it
// could be a model the learner trained by hand for hours. What a lesson's own line trained is the lesson's, though,
// and a lesson run a second time must be able to train it again. So a new training run started by a lesson's own
// line leaves `made-by-a-lesson-cell.txt` in its folder, and the policy lets a cell replace a folder of
// <state>/models that holds it. Any other run into a folder — in a terminal, the REPL, or a line the learner edited
// in the notebook — takes the mark away, new or resumed: from then on what is there is the learner's. A lesson
// line's `--resume` leaves the mark as it was (it continues the folder's run, whoever's it is).
//
// The mark says "a lesson made this", not which lesson: another lesson's cell that trains into the same name (say
// `--name tiny-ernie-lesson7`) replaces it unasked. That is the trade-off chosen: what any lesson made can be made
// again by running it, while what the learner made never carries the mark, and a cell cannot plant one (CellPolicy
// asks before any write inside a model folder the learner has).
import Foundation
import LabCore

public enum LessonCellRun {
    /// Whose text a cell's command line is.
    public enum Line: Sendable {
        /// The lesson's, as its author wrote it.
        case lessons
        /// Changed by the learner in the notebook's edit line.
        case learners

        /// The learner's line when they edited it (`typedByLearner`), else the lesson's.
        public init(_ typedByLearner: Bool) { self = typedByLearner ? .learners : .lessons }
    }

    /// The line of the lesson cell whose command runs now; nil outside a cell (LabCLI's LessonCellExecutor binds it
    /// around the command). Task-local, so a command run beside a cell in the same process (the tests run many at
    /// once) is not taken for one.
    @TaskLocal public static var line: Line?

    /// True while a lesson cell's command runs: outside the notebook an explorer then prints its first screen
    /// instead of needing a terminal of its own, and `exercise reset` does not wait for a yes.
    public static var running: Bool { line != nil }

    /// The mark's file, in the model folder.
    public static let markFile = "made-by-a-lesson-cell.txt"

    /// True when `folder` holds the mark: a lesson's own line trained what is there.
    public static func made(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(markFile).path)
    }

    /// Called as a training run starts writing the model folder `folder` (not for a --bench run, which saves
    /// nothing): a new run from a lesson's own line marks it, a resumed one leaves it as it is, any other run takes
    /// the mark away.
    /// - Returns: the line saying the folder was marked, for the run to print; nil when it was not.
    /// - Throws: `FileSystemProblem` naming the mark when it cannot be written or taken away.
    public static func claim(_ folder: URL, resume: Bool) throws -> String? {
        let mark = folder.appendingPathComponent(markFile)
        func problem(_ error: Error) -> FileSystemProblem {
            FileSystemProblem(path: mark.path, found: fileSystemReason(error),
                              hint: Learner.text("make the folder writable, or train into another one with --name.",
                                                 "让这个文件夹可写，或者用 --name 训练到另一个文件夹。"))
        }
        guard line == .lessons else {
            if FileManager.default.fileExists(atPath: mark.path) {
                do { try FileManager.default.removeItem(at: mark) } catch { throw problem(error) }
            }
            return nil
        }
        guard !resume else { return nil }
        try createFolder(folder, for: "the model")
        do { try Learner.text(
            "A lesson cell trained the model in this folder. Running the lesson again replaces it without asking; "
                + "once you train into this folder yourself (or delete this file), it is yours and a lesson cell asks "
                + "first.\n",
            "这个文件夹里的模型是课程单元训练的。再次运行这节课会直接替换它，不会询问；"
                + "一旦你自己往这个文件夹里训练（或删掉这个文件），它就是你的，课程单元会先问你。\n")
            .write(to: mark, atomically: true, encoding: .utf8) } catch { throw problem(error) }
        return Learner.text("A lesson cell's run: \(markFile) in the folder lets the lesson train it again unasked.",
                            "这是课程单元的训练：文件夹里的 \(markFile) 让这节课下次可以不经询问地重新训练它。")
    }
}
