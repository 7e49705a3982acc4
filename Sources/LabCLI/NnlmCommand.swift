// `lmlab nnlm prob "…"`: P(sentence) under the trained NNLM, token by token, beside the trigram MLE model of the same
// corpus — the lesson-5 point: a context never seen as a whole gets probability 0 from counts but not from the NNLM.
import ArgumentParser
import ClassicLMs
import Foundation
import Lab
import LabCore
import NeuralLMs

/// The checkpoint file for `--model` (a file, or a folder holding model.safetensors), default Models/<name> — or,
/// in a session that trained <name> (`train nnlm` in an earlier cell), what it trained.
func neuralModelFile(_ given: String?, defaultName: String, trainCommand: String) throws -> URL {
    let option = given.map(SessionModels.shared.resolve) ?? SessionModels.shared.bound(defaultName)
    var url = try option.map { URL(fileURLWithPath: $0) } ?? projectRootOrHint().appendingPathComponent("Models/\(defaultName)")
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
        url = url.appendingPathComponent("model.safetensors")
    } else if option == nil {
        url = url.appendingPathComponent("model.safetensors")
    }
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw ValidationError("no trained model at \(url.path). HINT: run `lmlab \(trainCommand)` first (or pass --model).")
    }
    return url
}

struct NnlmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnlm",
        abstract: "Query the trained neural n-gram LM (Bengio et al. 2003).",
        subcommands: [Prob.self])

    struct Prob: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prob",
            abstract: "P(sentence) token by token under the NNLM, beside the trigram MLE model of the same corpus.",
            discussion: """
            Examples:
              lmlab nnlm prob "later the old uncle flew a kite with luna ."
              lmlab nnlm prob "the dog says woof ." --model Models/nnlm-stories-en --json
            """)
        @Argument(help: "The sentence (tokenized like the corpus: lowercased words and punctuation).")
        var sentence: String
        @Option(name: .long, help: "Model file or folder (default: Models/nnlm-stories-en, written by `lmlab train nnlm`).")
        var model: String?
        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() throws {
            let file = try neuralModelFile(model, defaultName: "nnlm-stories-en", trainCommand: "train nnlm")
            let checkpoint = try NeuralCheckpoint(contentsOf: file, kind: "nnlm")
            let nnlm = try NNLM(checkpoint: checkpoint)
            let report = try NNLMComparison(sentence, nnlm: nnlm, corpus: try loadCorpus(checkpoint.metadata["corpus"] ?? "stories-en"))
            if json { print(try jsonString(report)); return }
            OutputPrinter.print(report.output)
        }
    }
}
