// `lmlab train tiny-instruct`: supervised fine-tuning (SFT) of the tiny ERNIE base on question/answer chats in
// ERNIE's template (lesson 9). The loss is taken on the answer tokens only. The result is a second model folder
// with the base's tokenizer, so base and instruct can be compared on the same text (the assignment, DPO's
// implicit reward β·(log π_instruct − log π_base)).
import ArgumentParser
import ErnieTraining
import Foundation
import Lab
import LabCore
import ModelFiles
import Tokenizers

struct TrainTinyInstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiny-instruct",
        abstract: "Fine-tune the tiny ERNIE base on chat-formatted questions and answers (SFT, loss on answers only).",
        discussion: """
        Data: Models/tiny-ernie-instruct/data/{train,heldout}.jsonl, written by scripts/make_instruct_data.py from \
        the corpus's facts (capitals, animal sounds, plurals, story questions). After training, prints and saves the \
        mean log P of the held-out reference answers under the base and the instruct model.
        """)

    @OptionGroup var training: TinyTrainingOptions
    @Option(name: .long, help: "The base model folder (default: the project's Models/tiny-ernie, or in a session the tiny-ernie trained in it).")
    var base: String?

    func run() throws {
        if try TrainingWatch.run(if: training.explore && training.bench == nil, title: Learner.text("Fine-tuning the tiny ERNIE (SFT)", "微调小 ERNIE（SFT）"), { try self.run() }) { return }
        let root = try projectRootOrHint()
        let out = training.outFolder(name: "tiny-ernie-instruct")
        if training.bench == nil { TrainedModelFolder.announcement(out, name: "tiny-ernie-instruct", outGiven: training.out != nil).map { print($0) } }
        let baseURL = base.map { URL(fileURLWithPath: $0) } ?? SessionModels.shared.bound("tiny-ernie").map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent("Models/tiny-ernie")
        let checkpoint = out.appendingPathComponent("checkpoint")
        let started = Date()
        let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: baseURL))
        let trainer: TinyErnieTrainer
        if training.resume {
            trainer = try TinyErnieTrainer.resume(from: checkpoint, steps: training.steps)
            TrainedModelFolder.resuming(trainer.step, of: trainer.options.steps, from: checkpoint).map { print($0) }
        } else {
            let model = try TinyErnie(folder: baseURL)
            let steps = training.steps ?? 600
            let lr = training.lr ?? 1e-3
            trainer = TinyErnieTrainer(model: model, options: TrainingOptions(
                steps: steps, batchSize: training.batch ?? 16, learningRate: lr, minLearningRate: lr / 10,
                warmupSteps: min(50, steps / 10), seed: training.seed))
        }
        let train = try ChatBatches(examples: ChatExample.load(root.appendingPathComponent(TinyErnieRecipe.instructTrain)),
                                    tokenizer: tokenizer)
        try checkTrainingMemory(TinyErnie.trainingBytes(trainer.model.config, batch: trainer.options.batchSize,
                                                        sequenceLength: train.sequenceLength), options: "--batch")
        print("tiny-instruct: \(train.examples.count) chats (≤ \(train.sequenceLength) tokens) from \(baseURL.path); "
            + "batch \(trainer.options.batchSize); \(trainer.options.steps) steps")
        if let n = training.bench {
            benchTraining(trainer, source: train, steps: n, seqLen: train.sequenceLength)
            return
        }
        guard try trainTiny(trainer, source: train, checkpoint: checkpoint, every: training.checkpointEvery) else { return }
        try trainer.model.save(to: out)
        try TinyErnieRecipe.finishInstructFolder(trainer.model, tokenizer: tokenizer, base: baseURL, out: out)

        let heldout = try ChatBatches(examples: ChatExample.load(root.appendingPathComponent(TinyErnieRecipe.instructHeldout)),
                                      tokenizer: tokenizer)
        let mean = { (xs: [Double]) in xs.reduce(0, +) / Double(xs.count) }
        let (base, tuned) = (mean(heldout.answerLogProbs(try TinyErnie(folder: baseURL))), mean(heldout.answerLogProbs(trainer.model)))
        try TrainingReport(model: "tiny-ernie-instruct", arguments: Array(CommandLine.arguments.dropFirst()), trainer: trainer,
                           sequenceLength: train.sequenceLength,
                           trainingTokens: train.examples.reduce(0) { $0 + $1.answer.count },
                           heldoutTokens: heldout.examples.reduce(0) { $0 + $1.answer.count },
                           seconds: Date().timeIntervalSince(started),
                           metrics: ["heldout_answer_logprob_base": base, "heldout_answer_logprob_instruct": tuned,
                                     "heldout_examples": Double(heldout.examples.count)])
            .write(to: out.appendingPathComponent("training.json"))
        print(Learner.text(String(format: "Saved %@. Held-out answers: mean log P %.3f (instruct) vs %.3f (base) over %d chats.",
                                  out.path, tuned, base, heldout.examples.count),
                           String(format: "已保存 %@。留出集答案的平均 log P：%.3f（指令模型）对 %.3f（基座模型），共 %d 段对话。",
                                  out.path, tuned, base, heldout.examples.count)))
        print(TrainedModelFolder.remember("tiny-ernie-instruct", at: out,
                                              usage: "lmlab generate \"What is the capital of Russia?\" --chat --model \(out.path)"))
    }
}
