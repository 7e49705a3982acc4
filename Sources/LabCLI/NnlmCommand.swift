// `lmlab nnlm prob "…"`: P(sentence) under the trained NNLM, token by token, beside the trigram MLE model of the same
// corpus — the lesson-5 point: a context never seen as a whole gets probability 0 from counts but not from the NNLM.
import ArgumentParser
import ClassicLMs
import Foundation
import Lab
import LabCore
import NeuralLMs

struct NnlmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnlm",
        abstract: "Query the trained neural n-gram LM (Bengio et al. 2003).",
        subcommands: [Prob.self, Order.self, Window.self])

    /// Texts A and B and the word-level models that read them (`order`, `window`).
    struct Contrast: ParsableArguments {
        @Argument(help: "Text A.") var a: String
        @Argument(help: "Text B.") var b: String
        @Option(name: .long, help: "A word-level model (default nnlm-stories-en).") var model = "nnlm-stories-en"
        @Option(name: .long, help: "Another word-level model beside it (repeatable).") var compare: [String] = []

        /// --model and every --compare (a session name, a path, or a name under Models/).
        func models() throws -> [WordLanguageModel] {
            try ([model] + compare).map { name in
                guard let model = try ModelLoader.wordModel(name) else {
                    throw ValidationError(Learner.text(
                        "--model/--compare \(name): not one of the lab's word-level models. HINT: use nnlm-stories-en, rnn-stories-en or gru-stories-en.",
                        "--model/--compare \(name)：不是实验室的词级模型。HINT：用 nnlm-stories-en、rnn-stories-en 或 gru-stories-en。"))
                }
                return model
            }
        }
    }

    struct Order: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "order",
            abstract: "The same words in another order: equal bags of words, told apart by a model that reads order.",
            discussion: CommandHelp.nnlmOrder)
        @OptionGroup var texts: Contrast

        func run() throws { OutputPrinter.print(try WordModelContrasts.order(texts.a, texts.b, models: texts.models())) }
    }

    struct Window: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "window",
            abstract: "Two contexts that differ only before the NNLM's window: its next-word distribution cannot move.",
            discussion: CommandHelp.nnlmWindow)
        @OptionGroup var texts: Contrast

        func run() throws { OutputPrinter.print(try WordModelContrasts.window(texts.a, texts.b, models: texts.models())) }
    }

    struct Prob: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prob",
            abstract: "P(sentence) token by token under the NNLM, beside the trigram MLE model of the same corpus.",
            discussion: CommandHelp.nnlmProb)
        @Argument(help: "The sentence (tokenized like the corpus: lowercased words and punctuation).")
        var sentence: String
        @Option(name: .long, help: "Model file or folder (default: Models/nnlm-stories-en, written by `lmlab train nnlm`).")
        var model: String?
        @OptionGroup var output: JSONOutput

        func run() throws {
            let file = try TrainedModelFolder.checkpointFile(model, defaultName: "nnlm-stories-en", trainCommand: "train nnlm")
            let checkpoint = try NeuralCheckpoint(contentsOf: file, kind: "nnlm")
            let nnlm = try NNLM(checkpoint: checkpoint)
            let report = try NNLMComparison(sentence, nnlm: nnlm, corpus: try loadCorpus(checkpoint.metadata["corpus"] ?? "stories-en"))
            try output.show(report.output, json: report)
        }
    }
}
