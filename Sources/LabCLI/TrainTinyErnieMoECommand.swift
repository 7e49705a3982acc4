// `lmlab train tiny-ernie-moe`: the tiny ERNIE with its feed-forward blocks made mixtures of experts, as
// ERNIE-4.5-21B-A3B's are (model_type ernie4_5_moe; layer 0 dense), at the dense tiny ERNIE's active parameters per
// token — so the two compare at equal cost (Models/tiny-ernie-moe/README.md). Trained like tiny-ernie
// (Lab's TinyErnieTraining.model), with the correction bias balanced after every step; saved in bfloat16 (routers float32).
import ArgumentParser
import ErnieTraining
import Foundation
import Lab
import LabCore

struct TrainTinyErnieMoECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiny-ernie-moe",
        abstract: "Train the tiny ERNIE mixture of experts on the story corpus (Hugging Face ernie4_5_moe layout).",
        discussion: CommandHelp.trainTinyErnieMoE)

    @OptionGroup var pretraining: TinyPretrainingOptions
    @Option(name: .long, parsing: .unconditional, help: "Routed experts E per MoE layer (2…64).")
    var experts = TinyErnieRecipe.MoEShape().experts
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Experts chosen per token k (1…E).")
    var topK = TinyErnieRecipe.MoEShape().topK
    @Option(name: .customLong("shared-experts"), parsing: .unconditional, help: "Shared experts S, run on every token (0…8).")
    var shared = TinyErnieRecipe.MoEShape().shared
    @Option(name: .customLong("expert-ffn"), parsing: .unconditional, help: "One expert's SwiGLU width Fe (1…4096).")
    var expertFFN = TinyErnieRecipe.MoEShape().expertFFN
    @Option(name: .long, help: "Only print the held-out perplexity of this saved tiny ERNIE folder (dense or MoE), measured as training.json's.")
    var evaluate: String?

    var moe: TinyErnieRecipe.MoEShape { .init(experts: experts, topK: topK, shared: shared, expertFFN: expertFFN) }

    func validate() throws { try usage { try moe.check() } }

    func run() throws {
        let (training, seq) = (pretraining.training, pretraining.seq)
        if let evaluate {
            return print(try TinyErnieTraining.evaluation(folder: evaluate, root: try ProjectPaths.requiredRoot(), sequenceLength: seq))
        }
        if try training.watched(Learner.text("Training the tiny ERNIE MoE", "训练 tiny ERNIE MoE"), { try self.run() }) { return }
        let shape = TinyErnieRecipe.Shape(), moe = self.moe
        try training.lab(name: "tiny-ernie-moe").model(name: "tiny-ernie-moe", seq: seq, vocab: shape.vocab,
                                biasUpdateRate: TinyErnieRecipe.biasUpdateRate, dtype: .bf16,
                                tokenizerFrom: try ProjectPaths.requiredRoot().appendingPathComponent("Models/tiny-ernie").path) {
            TinyErnieRecipe.config(shape, moe: moe, tokenizer: $0)
        }
    }
}
