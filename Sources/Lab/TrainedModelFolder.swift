// Where a training run writes and what it says about it (`lmlab train …`, every model): the folder (--out, else
// the learner's <state>/models/<name>, never the shipped Models/<name> unless --out names it), the line said before
// training, the line of a resumed run, and after saving, the session's new meaning of the name or how to use it.
import Foundation
import LabCore

public enum TrainedModelFolder {
    /// The folder a training run writes: `out` as given, else <state>/models/<name>.
    public static func url(out: String?, name: String) -> URL {
        out.map(ProjectPaths.fileURL)
            ?? ProjectPaths.trainedModels().appendingPathComponent(name, isDirectory: true)
    }

    /// What `--name NAME` says: the model's folder <state>/models/NAME (unless --out) and its name in the session.
    public static let nameHelp = "Call the model NAME: its folder is <state>/models/NAME (unless --out), and in this "
        + "session --model NAME finds it (default: the model's own name)."

    /// Checks a --name: a name the session can use (`SessionModels.isUsableName`, as `load` takes), so it is also one
    /// plain folder name and the model stays inside <state>/models.
    /// - Throws: `OptionError` saying what a name may be.
    public static func check(name: String?) throws(OptionError) {
        guard let name, !SessionModels.isUsableName(name) else { return }
        let shown = VisibleText.escapingControls(name)
        throw OptionError(Learner.text(
            "--name '\(shown)' is not a usable name. HINT: use letters, digits, - and _, at most "
                + "\(SessionModels.maxNameBytes) bytes (it names the folder in <state>/models too); --out DIR writes any folder.",
            "--name “\(shown)”不能用作名字。HINT：只用字母、数字、- 和 _，最多 \(SessionModels.maxNameBytes) 个字节"
                + "（它也是 <state>/models 里的文件夹名）；--out DIR 可以写入任何文件夹。"))
    }

    /// Where a run that saves begins, for every trainer: the line saying where the model goes, and the folder
    /// claimed for the lesson cell or the learner (LessonCellRun.claim) — one call, so no trainer can announce and
    /// forget the claim (a lesson's mark would then outlive the learner's own run into the folder).
    public static func begin(_ folder: URL, name: String, outGiven: Bool, resume: Bool) throws {
        announcement(folder, name: name, outGiven: outGiven).map { print($0) }
        try LessonCellRun.claim(folder, resume: resume).map { print($0) }
    }

    /// Said before training starts when --out was left out: where the model will go; nil when --out was given.
    public static func announcement(_ folder: URL, name: String, outGiven: Bool) -> String? {
        guard !outGiven else { return nil }
        let shipped = ProjectPaths.shippedModels().map { $0.appendingPathComponent(name).path }
        if shipped.map({ FileManager.default.fileExists(atPath: $0) }) == true {
            return Learner.text("Writing \(folder.path) (your own copy; the shipped Models/\(name) stays as it is; --out DIR picks another folder).",
                                "写入 \(folder.path)（你自己的副本；自带的 Models/\(name) 保持不变；用 --out DIR 换一个文件夹）。")
        }
        return Learner.text("Writing \(folder.path) (your own models folder; --out DIR picks another folder).",
                            "写入 \(folder.path)（你自己的模型文件夹；用 --out DIR 换一个文件夹）。")
    }

    /// "Resuming at step 120/3000 from …" when the run continues a checkpoint; nil for a new run.
    public static func resuming(_ step: Int?, of total: Int, from checkpoint: URL? = nil) -> String? {
        guard let step else { return nil }
        let from = checkpoint.map { " " + Learner.text("from", "，检查点") + " " + $0.path } ?? ""
        return Learner.text("Resuming at step \(step)/\(total)", "从第 \(step)/\(total) 步继续") + from
    }

    /// After a model is saved: in a session (the REPL, a lesson's cells) its name now means this folder, so a later
    /// `--model NAME` (or the command's default model) finds what was just trained; elsewhere, how to use it.
    /// - Parameter usage: a command line that uses the folder, shown outside a session.
    public static func remember(_ name: String, at folder: URL, usage: String) -> String {
        if SessionModels.shared.interactive {
            SessionModels.shared.bind(name, to: folder.path)
            return Learner.text("In this session, \(name) now means this model (\(folder.path)).",
                                "在本次会话中，\(name) 现在指这个模型（\(folder.path)）。")
        }
        return Learner.text("Use it: ", "用法：") + usage
    }

    /// The held-out perplexity line that ends a language model's training.
    public static func heldOutPerplexity(_ ppl: (perplexity: Double, tokens: Int), corpus: String) -> String {
        Learner.text(String(format: "held-out perplexity %.3f over %d tokens (compare: lmlab ngram perplexity --corpus %@)",
                            ppl.perplexity, ppl.tokens, corpus),
                     String(format: "留出集困惑度 %.3f（%d 个词元；对比：lmlab ngram perplexity --corpus %@）",
                            ppl.perplexity, ppl.tokens, corpus))
    }

    /// What a run stopped by Ctrl-C or SIGTERM says: where what was trained is, and how to continue.
    public static func stopped(atStep step: String, in folder: URL, checkpoint: Bool) -> String {
        checkpoint
            ? Learner.text("Stopped at step \(step) (\(Cancellation.reason)); checkpoint saved in \(folder.path). "
                            + "Continue with the same command and --resume.",
                           "在第 \(step) 步停下（\(Cancellation.reason)）；检查点已保存到 \(folder.path)。加上 --resume 运行同一条命令即可继续。")
            : Learner.text("Stopped at step \(step) (\(Cancellation.reason)); the model trained so far is in \(folder.path). "
                            + "Continue with the same command and --resume.",
                           "在第 \(step) 步停下（\(Cancellation.reason)）；已训练的模型在 \(folder.path)。加上 --resume 运行同一条命令即可继续。")
    }

    /// The checkpoint file of a trained neural model: `given` (a session name, a file, or a folder holding
    /// model.safetensors), else Models/<defaultName> — or, in a session that trained it (`train nnlm` in an
    /// earlier cell), what it trained.
    /// - Throws: `ModelLoadError` naming the path and the `lmlab <trainCommand>` that writes it.
    public static func checkpointFile(_ given: String?, defaultName: String, trainCommand: String) throws -> URL {
        let option = given.map(SessionModels.shared.resolve) ?? SessionModels.shared.bound(defaultName)
        var url: URL
        if let option {
            url = URL(fileURLWithPath: option)
        } else {
            guard let root = ProjectPaths.root() else {
                throw ModelLoadError(Learner.text(
                    "cannot find the project folder (Lessons/course.json) to read Models/\(defaultName). HINT: run "
                        + "lmlab from the LMLab project folder, set LMLAB_HOME to it, or pass --model.",
                    "找不到项目文件夹（Lessons/course.json），读不了 Models/\(defaultName)。"
                        + "HINT：在 LMLab 项目文件夹里运行 lmlab，把 LMLAB_HOME 设为它，或给出 --model。"))
            }
            url = root.appendingPathComponent("Models/\(defaultName)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url = url.appendingPathComponent("model.safetensors")
        } else if option == nil {
            url = url.appendingPathComponent("model.safetensors")
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ModelLoadError(Learner.text(
                "no trained model at \(url.path). HINT: run `lmlab \(trainCommand)` first (or pass --model).",
                "\(url.path) 没有训练好的模型。HINT：先运行 `lmlab \(trainCommand)`（或给出 --model）。"))
        }
        return url
    }
}
