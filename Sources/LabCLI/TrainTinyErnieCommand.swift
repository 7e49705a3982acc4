// `lmlab train tiny-ernie`: the lab's own small ERNIE, trained from scratch on the bilingual story corpus and saved
// in the Hugging Face layout (config.json, model.safetensors, tokenizer files), so `--model tiny-ernie` serves it
// through the same engine as ERNIE-4.5-0.3B. The run's steps: Lab/TinyErnieTraining.swift.
import ArgumentParser
import ErnieTraining
import Foundation
import Lab
import LabCore

/// Options every `train tiny-*` command shares: the run's, and checkpoints and --bench.
struct TinyTrainingOptions: ParsableArguments {
    @OptionGroup var run: TrainingRunOptions<TinyErnieRuns>
    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional, help: "Save a checkpoint every N steps (1…1000000).")
    var checkpointEvery = 250
    @Option(name: .long, parsing: .unconditional, help: "Time N training steps (1…10000) and print steps/s and tokens/s; saves nothing.")
    var bench: Int?

    func validate() throws {
        try checkRange("--bench", bench, 1...10_000)
        try checkRange("--checkpoint-every", checkpointEvery, 1...1_000_000)
        if run.resume && bench != nil { throw ValidationError(OptionConflict.benchWithResume) }
    }

    /// Watched full screen with --explore, unless --bench only times steps.
    func watched(_ title: String, _ body: @escaping () throws -> Void) throws -> Bool {
        try run.watched(title, also: bench == nil, body)
    }

    /// The run writing the model `name` (Lab's TinyErnieTraining does the work).
    func lab(name: String) throws -> TinyErnieTraining {
        TinyErnieTraining(root: try ProjectPaths.requiredRoot(), out: run.folder(name), outGiven: run.out != nil,
                          name: run.modelName(name), resume: run.resume, steps: run.steps, batch: run.batch, lr: run.lr,
                          seed: run.seed, checkpointEvery: checkpointEvery, bench: bench,
                          arguments: Array(CommandLine.arguments.dropFirst()))
    }
}

/// The options of the runs that train a tiny ERNIE from scratch (tiny-ernie, tiny-ernie-moe): the run's, and --seq.
struct TinyPretrainingOptions: ParsableArguments {
    @OptionGroup var training: TinyTrainingOptions
    @Option(name: .long, parsing: .unconditional,
            help: "Tokens per training sequence (8…\(TinyErnieRecipe.contextLength)).")
    var seq = 128

    func validate() throws { try usage { try TinyErnieRecipe.checkSequenceLength(seq) } }
}

struct TrainTinyErnieCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiny-ernie",
        abstract: "Train the tiny ERNIE (base) on the story corpus and save it in the Hugging Face layout.",
        discussion: CommandHelp.trainTinyErnie)

    @OptionGroup var pretraining: TinyPretrainingOptions
    @Option(name: .long, parsing: .unconditional, help: "Hidden size D (1…4096).")
    var hidden = TinyErnieRecipe.Shape().hidden
    @Option(name: .long, parsing: .unconditional, help: "Decoder layers (1…64).")
    var layers = TinyErnieRecipe.Shape().layers
    @Option(name: .long, parsing: .unconditional, help: "Query heads H (1…128).")
    var heads = TinyErnieRecipe.Shape().heads
    @Option(name: .customLong("kv-heads"), parsing: .unconditional, help: "Key/value heads Hkv (grouped-query attention; divides H).")
    var kvHeads = TinyErnieRecipe.Shape().kvHeads
    @Option(name: .customLong("head-dim"), parsing: .unconditional, help: "Head dimension Dh (even, 2…512).")
    var headDim = TinyErnieRecipe.Shape().headDim
    @Option(name: .long, parsing: .unconditional, help: "SwiGLU width F (1…16384).")
    var ffn = TinyErnieRecipe.Shape().ffn
    @Option(name: .long, parsing: .unconditional, help: "Tokenizer vocabulary size (BPE pieces, up to 65536).")
    var vocab = TinyErnieRecipe.Shape().vocab
    @Option(name: .long, help: "Reuse this model folder's tokenizer (e.g. Models/tiny-ernie) instead of training one, so token ids stay the same.")
    var tokenizer: String?

    var shape: TinyErnieRecipe.Shape {
        .init(hidden: hidden, layers: layers, heads: heads, kvHeads: kvHeads, headDim: headDim, ffn: ffn, vocab: vocab)
    }

    func validate() throws {
        let run = pretraining.training.run
        try usage { try shape.check(sequenceLength: pretraining.seq, batch: run.resume ? nil : run.batch ?? 16) }
    }

    func run() throws {
        let training = pretraining.training
        if try training.watched(Learner.text("Training the tiny ERNIE", "训练 tiny ERNIE"), { try self.run() }) { return }
        try training.lab(name: "tiny-ernie").base(shape: shape, seq: pretraining.seq, vocab: vocab,
                                                  tokenizerFrom: tokenizer)
    }
}
