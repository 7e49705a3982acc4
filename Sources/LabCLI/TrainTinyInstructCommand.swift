// `lmlab train tiny-instruct`: supervised fine-tuning (SFT) of the tiny ERNIE base on question/answer chats in
// ERNIE's template (lesson 9). The loss is taken on the answer tokens only. The result is a second model folder
// with the base's tokenizer, so base and instruct can be compared on the same text (the assignment, DPO's
// implicit reward β·(log π_instruct − log π_base)).
import ArgumentParser
import ErnieTraining
import Foundation
import Lab
import LabCore

struct TrainTinyInstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiny-instruct",
        abstract: "Fine-tune the tiny ERNIE base on chat-formatted questions and answers (SFT, loss on answers only).",
        discussion: CommandHelp.trainTinyInstruct)

    @OptionGroup var training: TinyTrainingOptions
    @Option(name: .long, help: "The base model folder (default: the project's Models/tiny-ernie, or in a session the tiny-ernie trained in it).")
    var base: String?

    func run() throws {
        if try training.watched(Learner.text("Fine-tuning the tiny ERNIE (SFT)", "微调 tiny ERNIE（SFT）"), { try self.run() }) { return }
        try training.lab(name: "tiny-ernie-instruct").instruct(base: base)
    }
}
