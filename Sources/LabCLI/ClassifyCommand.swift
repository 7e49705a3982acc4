// `lmlab classify`: a task turned into text generation (lesson 2). Every label is scored as a continuation of the
// prompt, log P(label | prompt) = Σ log P(label token | prompt, earlier label tokens), and the labels are compared.
//
// The scoring is Decoding's (ContinuationScore: totals, means, softmax shares), the table Lab's
// (ContinuationReports.swift); this command parses and prints.
import ArgumentParser
import Decoding
import Foundation
import Lab
import LabCore

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify by generation: compare log P(label | prompt) for each label.",
        discussion: CommandHelp.classify)

    @Argument(help: "The prompt the labels continue.")
    var prompt: String

    @Option(name: .long, help: "Comma-separated labels, each scored as a continuation (keep a leading space if the label follows a word).")
    var labels: String

    @OptionGroup var model: ModelName

    @OptionGroup var turn: ChatTurn

    @OptionGroup var output: JSONOutput

    func validate() throws { _ = try usage { try LabelScore.labels(labels) } }

    func run() throws {
        let rows = try scores()
        try output.show(LabelScore.output(rows), json: rows)
    }

    /// Every label's row, in the order given.
    func scores() throws -> [LabelScore] {
        let labelList = try LabelScore.labels(labels)
        let scores = try model.load().continuations(labelList, after: prompt, chat: turn.chat, name: model.name)
        return LabelScore.rows(labelList, scores)
    }
}
