// Cells of a stranger's lesson (hostile-input audit 14): a write is judged on the path the kernel will use (a ".."
// after a planted link leaves the models folder, and the question shows where the bytes would land); a lesson never
// runs a lesson, whatever options come before `run` (a lesson running itself ended the notebook with SIGSEGV), while
// `help lesson run` stays help; a cell never replaces a trained model or checkpoint unasked; `~` means $HOME, as for
// the state folder; `lesson wait` is bounded. In LessonRunTests' serialized suite: cells capture fd 1/2. Every link
// is made here, in a temporary folder.
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

/// A fresh folder (its links resolved) holding state/lmlab/models (XDG_STATE_HOME=state) and home/; removed by the
/// caller.
private func hostileRoot(_ tag: String) throws -> (root: URL, env: [String: String], models: URL) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-hostile-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    let root = try #require(KernelPath.resolve(url))
    let models = root.appendingPathComponent("state/lmlab/models")
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
    var env = LabEnvironment.current
    env["XDG_STATE_HOME"] = root.appendingPathComponent("state").path
    return (root, env, models)
}

/// An English-speaking cell executor in `env`.
private func cells(_ env: [String: String]) -> LessonCellExecutor {
    let executor = LessonCellExecutor(capture: true, environment: env)
    executor.language = .en
    return executor
}

extension LessonRunTests {
    /// LINK in <models>/tiny-ernie → <root>/home/deep: `<models>/tiny-ernie/LINK/..` is <root>/home.
    @Test func aDotDotAfterALinkInTheModelsFolderIsAWriteOutsideItAndTheQuestionSaysWhere() throws {
        let (root, env, models) = try hostileRoot("link")
        defer { try? FileManager.default.removeItem(at: root) }
        let home = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("deep"),
                                                withIntermediateDirectories: true)
        let tiny = models.appendingPathComponent("tiny-ernie")
        try FileManager.default.createDirectory(at: tiny, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tiny.appendingPathComponent("LINK").path,
                                                   withDestinationPath: "../../../../home/deep")
        let executor = cells(env)
        let lines = [("embed train --epochs 1 --dim 8 --quiet --save \(tiny.path)/LINK/../.bash_login", ".bash_login"),
                     ("train nnlm --steps 1 --batch 1 --out \(tiny.path)/LINK/../pwned", "pwned")]
        for (line, lands) in lines {
            let message = try #require(failure(executor.execute(line, ask: nil) { _ in }), "\(line) ran unasked")
            #expect(message.contains("`lmlab lesson run` cannot ask you"), "\(message)")
            var question = ""
            _ = executor.execute(line, ask: { _ in false }) { question += $0 }
            #expect(question.contains("writes \(home.appendingPathComponent(lands).path)."), "\(question)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path) == ["deep"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tiny.path) == ["LINK"])
    }

    @Test func aLessonNeverRunsALessonWhateverComesBeforeRunAndHelpStaysHelp() throws {
        let (root, env, models) = try hostileRoot("nest")
        defer { try? FileManager.default.removeItem(at: root) }
        let lesson = root.appendingPathComponent("rec.md")
        try "# Runs itself\n\n```lab id=again\nlesson --lang en run \(lesson.path)\n```\n"
            .write(to: lesson, atomically: true, encoding: .utf8)
        let out = models.appendingPathComponent("rec.md")
        let executor = cells(env)
        for line in ["lesson --lang en run \(root.path)/no-such-lesson.md", "lesson --lang en run \(lesson.path)",
                     "lesson run \(lesson.path) --lang zh", "lmlab lesson run 3 --cell x",
                     "lesson export \(lesson.path) --out \(out.path)", "lesson --lang zh export 3 --out \(out.path)"] {
            var asked = false
            let status = executor.execute(line, ask: { _ in asked = true; return true }) { _ in }
            let message = try #require(failure(status), "\(line) ran")
            try #require(message.contains("a lesson cell never runs a lesson"), "\(line): \(message)")
            #expect(message.contains("HINT: run it yourself in a terminal: lmlab lesson"), "\(message)")
            #expect(!asked, "\(line) was asked")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let outcome = try HeadlessLesson.run(try LessonDocument(contentsOf: lesson), only: nil, executor: executor) { _ in }
        #expect(outcome.failure?.contains("never runs a lesson") == true, "\(outcome.failure ?? "passed")")
        var printed = ""
        #expect(executor.execute("help lesson run", ask: nil) { printed += $0 } == .ok)
        #expect(printed.contains("USAGE: lmlab lesson run"), "\(printed)")
    }

    @Test func aCellNeverReplacesATrainedModelOrCheckpointUnasked() throws {
        let (root, env, models) = try hostileRoot("lost")
        defer { try? FileManager.default.removeItem(at: root) }
        let nnlm = models.appendingPathComponent("nnlm-stories-en")
        try FileManager.default.createDirectory(at: nnlm, withIntermediateDirectories: true)
        let mine = Data("the learner's own run".utf8)
        let files = ["model.safetensors", "checkpoint.safetensors"].map { nnlm.appendingPathComponent($0) }
        for file in files { try mine.write(to: file) }
        let executor = cells(env)
        let replacing = ["train nnlm --steps 1 --batch 1",
                         "embed train --epochs 1 --dim 8 --quiet --save \(files[1].path)"]
        for line in replacing + ["lesson export 3 --out \(files[1].path)"] {
            let message = try #require(failure(executor.execute(line, ask: nil) { _ in }), "\(line) ran unasked")
            let says = line.hasPrefix("lesson") ? "never runs a lesson" : "replaces \(nnlm.path)"
            #expect(message.contains(says), "\(line): \(message)")
        }
        for line in replacing {
            var (questions, printed) = (0, "")
            _ = executor.execute(line, ask: { _ in questions += 1; return false }) { printed += $0 }
            #expect(questions == 1 && printed.contains("replaces \(nnlm.path)"), "\(line): \(printed)")
            #expect(printed.contains("which is there already"), "\(printed)")
        }
        for file in files { #expect(try Data(contentsOf: file) == mine, "\(file.lastPathComponent) replaced") }
        // Still unasked: continuing the run there (--resume), and a first run where nothing is yet.
        try FileManager.default.createDirectory(at: models.appendingPathComponent("tiny-ernie"),
                                                withIntermediateDirectories: true)
        try LabEnvironment.$override.withValue(env) {
            for words in [["train", "nnlm", "--resume"], ["train", "gru"], ["train", "tiny-ernie"]] {
                let effects = try #require(try LMLab.parseAsRoot(words) as? CellEffects).cellEffects
                #expect(CellPolicy(environment: env).verdict(effects, words: words) == .run, "\(words)")
            }
        }
    }

    @Test func tildeMeansHomeAsForTheStateFolderAndAWaitInACellIsBounded() throws {
        let (root, base, _) = try hostileRoot("tilde")
        defer { try? FileManager.default.removeItem(at: root) }
        let home = root.appendingPathComponent("home")
        var env = base
        (env["HOME"], env["XDG_STATE_HOME"]) = (home.path, nil)
        #expect(UserHome.expandingTilde("~", environment: env) == home.path)
        #expect(UserHome.expandingTilde("~/x", environment: env) == home.path + "/x")
        #expect(UserHome.expandingTilde("a/~/b", environment: env) == "a/~/b")
        try LabEnvironment.$override.withValue(env) {
            let parsed = try LMLab.parseAsRoot(["lesson", "export", "3", "--out", "~/n.md"])
            let export = try #require(parsed as? LessonExport)
            #expect(export.outURL.path == home.path + "/n.md")
            #expect(TrainedModelFolder.url(out: "~/m", name: "nnlm").path == home.path + "/m")
            let embed = try #require(try LMLab.parseAsRoot(["embed", "train", "--save", "~/v"]) as? CellEffects)
            #expect(embed.cellEffects == [.writes(URL(fileURLWithPath: home.path + "/v"))])
            // `--out ~/.local/state/lmlab/models/…` is the learner's models folder, as `train` without --out says.
            let words = ["train", "nnlm", "--out", "~/.local/state/lmlab/models/nnlm-stories-en"]
            let effects = try #require(try LMLab.parseAsRoot(words) as? CellEffects).cellEffects
            #expect(CellPolicy(environment: env).verdict(effects, words: words) == .run)
        }
        let executor = cells(env)
        for seconds in ["nan", "inf", "1e300", "3601"] {                  // refused: the wait never starts
            let status = executor.execute("lesson wait \(seconds)", ask: nil) { _ in }
            let message = try #require(failure(status), "lesson wait \(seconds) ran")
            #expect(message.contains("is outside 0…3600"), "\(message)")
        }
        #expect(executor.execute("lesson wait 0.01", ask: nil) { _ in } == .ok)
    }
}
