// A lesson runs a second time (session 15: lesson 7 headless failed at train-live the second time, its own model
// being "something in the learner's models"): a new training run from a lesson's own line marks its folder
// (LessonCellRun's made-by-a-lesson-cell.txt) and a cell may train a marked folder right inside <state>/models again
// unasked. A run by hand — a terminal, or a line the learner edited in the notebook — takes the mark away, and from
// then on a lesson cell is refused headless and asked in the notebook, as before. In LessonRunTests' serialized
// suite: cells capture the process's fd 1/2.
import ArgumentParser
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

/// The lesson's training cell, run headless (nobody to ask) or with `answer` as the learner's reply.
private func trainCell(_ env: [String: String], answer: Bool? = nil, edited: Bool = false,
                       asked: inout [String]) -> CommandStatus {
    let executor = LessonCellExecutor(capture: true, environment: env)
    var questions: [String] = []
    let status = executor.execute("train nnlm --name nnlm-lesson --steps 2 --batch 8",
                                  ask: answer.map { a in { questions.append($0); return a } },
                                  typedByLearner: edited) { _ in }
    asked += questions
    return status
}

extension LessonRunTests {
    @Test func aLessonTrainsItsOwnFolderAgainButNeverOneTrainedByHand() throws {
        try withTempState { state, env in
            defer { SessionModels.shared.forget("nnlm-lesson") }    // the session is the test process
            let folder = state.appendingPathComponent("lmlab/models/nnlm-lesson")
            let mark = folder.appendingPathComponent(LessonCellRun.markFile).path
            var asked: [String] = []
            // The lesson, headless, twice: the second run replaces what the first made.
            #expect(trainCell(env, asked: &asked) == .ok)
            #expect(FileManager.default.fileExists(atPath: mark))
            #expect(trainCell(env, asked: &asked) == .ok, "a lesson's own model is trained again unasked")
            // The learner edits the line in the notebook: it runs (the folder is the lesson's), and is theirs now.
            #expect(trainCell(env, answer: false, edited: true, asked: &asked) == .ok)
            #expect(asked.isEmpty && !FileManager.default.fileExists(atPath: mark))
            guard case .failed(let refusal) = trainCell(env, asked: &asked) else {
                Issue.record("a folder the learner trained was replaced headless"); return
            }
            #expect(refusal.contains("replaces \(folder.path), which is there already")
                    && refusal.contains("`lmlab lesson run` cannot ask you"), "\(refusal)")
            #expect(trainCell(env, answer: false, asked: &asked) != .ok && asked.count == 1, "asked in the notebook")
            // A yes lets the lesson's line replace it: the folder is the lesson's again; a run in a terminal (here
            // the command run outside any cell) takes it back.
            #expect(trainCell(env, answer: true, asked: &asked) == .ok && FileManager.default.fileExists(atPath: mark))
            let byHand = ["train", "nnlm", "--name", "nnlm-lesson", "--steps", "1", "--batch", "8"]
            var command = try LMLab.parseAsRoot(byHand)
            OutputCapture.run({ try? command.run() }, chunk: { _ in })
            #expect(!FileManager.default.fileExists(atPath: mark))
            #expect(trainCell(env, asked: &asked) != .ok)
        }
    }

    /// Only a marked folder right inside <state>/models counts: not a deeper one, nor the models folder itself; and a
    /// write inside a model folder the learner has is asked, so no cell can plant a mark there.
    @Test func theMarkCountsOnlyForAFolderRightInsideTheModels() throws {
        try withTempState { state, env in
            let models = state.appendingPathComponent("lmlab/models")
            let policy = CellPolicy(environment: env)
            for (path, marked, verdictIsRun) in [("lesson-made", true, true), ("hand-made", false, false),
                                                 ("hand-made/deeper", true, false), ("", true, false)] {
                let folder = path.isEmpty ? models : models.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data("weights".utf8).write(to: folder.appendingPathComponent("model.safetensors"))
                if marked { try Data().write(to: folder.appendingPathComponent(LessonCellRun.markFile)) }
                let verdict = policy.verdict([.writes(folder)], words: ["train", "nnlm", "--out", folder.path])
                #expect((verdict == .run) == verdictIsRun, "\(path): \(verdict)")
            }
            // A mark is only as good as the folder it is in: a cell cannot plant one in the learner's model (a new
            // file inside a model folder that is there already is asked), but may write inside its own.
            for (path, verdictIsRun) in [("hand-made/" + LessonCellRun.markFile, false), ("lesson-made/more.txt", true)] {
                let target = models.appendingPathComponent(path)
                let verdict = policy.verdict([.writes(target)], words: ["embed", "train", "--save", target.path])
                #expect((verdict == .run) == verdictIsRun, "\(path): \(verdict)")
                if case .ask(let what) = verdict { #expect(what.contains("a model folder that is there already"), "\(what)") }
            }
        }
    }

    /// claim: a lesson's new run marks (and says so), its --resume leaves the mark, any other run takes it away.
    @Test func whoClaimsAModelFolder() throws {
        let folder = try tempFolder("claim")
        defer { try? FileManager.default.removeItem(at: folder) }
        let note = try Learner.$language.withValue(.en) {
            try LessonCellRun.$line.withValue(.lessons) { try LessonCellRun.claim(folder, resume: false) }
        }
        #expect(note?.contains("lets the lesson train it again unasked") == true && LessonCellRun.made(folder))
        for line in [LessonCellRun.Line.lessons, .learners, nil] {
            #expect(try LessonCellRun.$line.withValue(line) { try LessonCellRun.claim(folder, resume: true) } == nil)
            #expect(LessonCellRun.made(folder) == (line == .lessons), "\(String(describing: line))")
            if line == .learners {                                           // marked again for the next line
                _ = try LessonCellRun.$line.withValue(.lessons) { try LessonCellRun.claim(folder, resume: false) }
            }
        }
    }
}
