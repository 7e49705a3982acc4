// `lmlab nnlm prob "…"`: P(sentence) under the trained NNLM, token by token, beside the trigram MLE model of the same
// corpus — the lesson-5 point: a context never seen as a whole gets probability 0 from counts but not from the NNLM.
import ArgumentParser
import Foundation
import Lab
import LabCore

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
        func models() throws -> [WordLanguageModel] { try usage { try ModelLoader.wordModels([model] + compare) } }
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
            let report = try usage { try TrainedNeuralModels.nnlmComparison(sentence, model: model) }
            try output.show(report.output, json: report)
        }
    }
}
