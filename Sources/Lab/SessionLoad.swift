// `load NAME MODEL`: a session's own name for a model (the REPL, a lesson's cells), checked by loading it once.
import Foundation
import LabCore

extension SessionModels {
    /// A name a session can give a model — `load NAME`, `train --name NAME` (also its folder in <state>/models):
    /// letters, digits, - and _, not starting with -, at most `maxNameBytes` (a folder name may have 255).
    public static func isUsableName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxNameBytes && !name.hasPrefix("-")
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// The longest name, in UTF-8 bytes.
    public static let maxNameBytes = 100

    /// The arguments of `load` that cannot work: a NAME other than letters, digits, - and _, --forget with a MODEL
    /// or without NAME, NAME without MODEL.
    /// - Throws: `OptionError` with the form that works.
    public static func check(_ name: String?, _ model: String?, forget: Bool) throws {
        if let name, !isUsableName(name) {
            throw OptionError(Learner.text(
                "'\(name)' is not a usable name. HINT: use letters, digits, - and _ (at most \(maxNameBytes) bytes), "
                    + "e.g. `load base tiny-ernie`.",
                "“\(name)”不能用作名字。HINT：只用字母、数字、- 和 _（最多 \(maxNameBytes) 个字节），例如 `load base tiny-ernie`。"))
        }
        if forget && (name == nil || model != nil) {
            throw OptionError(Learner.text("--forget takes just the NAME: `load --forget base`.",
                                                "--forget 只接一个名字：`load --forget base`。"))
        }
        if let name, !forget && model == nil {
            // `load tiny-ernie`: the learner named the model, not the name to give it.
            if CommandCompletion.projectModelNames().contains(name) {
                throw OptionError(Learner.text(
                    "load takes a name first, then the model: `load base \(name)`, and later commands take --model base.",
                    "load 先接名字，再接模型：`load base \(name)`，之后的命令写 --model base。"))
            }
            throw OptionError(Learner.text(
                "give the model too: `load \(name) tiny-ernie` (a folder or a name from `lmlab models`).",
                "还要给出模型：`load \(name) tiny-ernie`（一个文件夹，或 `lmlab models` 列出的模型名）。"))
        }
    }

    /// `load NAME MODEL` (bind NAME to MODEL for the rest of the session), `load --forget NAME`, or `load` alone (the
    /// names so far): what was done, in the learner's language.
    /// - Throws: `ModelLoadError` outside a session, or what loading MODEL throws.
    public func load(_ name: String?, _ model: String?, forget: Bool) throws -> String {
        let session = self
        guard session.interactive else {
            throw ModelLoadError(Learner.text(
                "`load` names a model for the rest of a session, and this process ends now. HINT: use it in `lmlab repl` or in a lesson cell; in a single command pass --model with the model itself.",
                "`load` 为整个会话命名一个模型，而这个进程马上就结束了。HINT：在 `lmlab repl` 或课程单元格里使用它；单条命令请直接用 --model 指定模型。"))
        }
        if forget, let name {
            return session.forget(name) ? Learner.text("\(name) forgotten.", "已忘记 \(name)。")
                                        : Learner.text("\(name) was not loaded in this session.", "本会话没有加载过 \(name)。")
        }
        guard let name, let model else {
            let b = session.bindings
            return b.isEmpty ? Learner.text("no models named in this session yet. HINT: `load base tiny-ernie`.",
                                            "本会话还没有命名任何模型。HINT：`load base tiny-ernie`。")
                             : b.map { "\($0.name) → \($0.model)" }.joined(separator: "\n")
        }
        let target = session.resolve(model)          // `load b a` after `load a …` binds b to what a means
        let loaded = try ModelNameSuggestion.written({ "load \(name) \($0)" }) { try ModelLoader.load(target) }
        session.bind(name, to: target)
        let c = loaded.model.config
        return Learner.text(
            "\(name) → \(target): \(c.numHiddenLayers) layers, hidden \(c.hiddenSize), vocabulary \(c.vocabSize)"
                + (loaded.tokenizer == nil ? ", no tokenizer" : ""),
            "\(name) → \(target)：文心（ERNIE）结构，\(c.numHiddenLayers) 层，隐藏维度 \(c.hiddenSize)，词表 \(c.vocabSize)"
                + (loaded.tokenizer == nil ? "，没有分词器" : ""))
    }
}
