// `lmlab ngram`: train an n-gram model on a lesson corpus and look inside it — the P(sentence) ledger,
// held-out perplexity by order, the sparsity table, generated text.
//
// Each command is one process, so the model is re-counted from the corpus every time (no cache file, never stale):
// counting every 1…5-gram of the 358k-token English story corpus takes 0.034 s in a release build (`ngram train`
// prints the time; the whole `ngram perplexity` for n = 1…5, file reading included, runs in 0.7 s).
//
//   $ lmlab ngram prob "the cat says meow ." --n 3 --smoothing kn
//   context    token  P(token | context)    ln P  c(h w)   N(h)
//   <s> <s>    the              0.226912  -1.483    8270  36444
//   <s> the    cat             0.0661939  -2.715     548   8270
import ArgumentParser
import ClassicLMs
import Foundation
import TerminalUI
import Lab
import LabCore

struct NgramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ngram",
        abstract: "Count n-grams of a lesson corpus: probabilities, perplexity, sparsity, generation.",
        discussion: CommandHelp.ngram,
        subcommands: [Train.self, Prob.self, Perplexity.self, Sparsity.self, Generate.self])

    struct ModelOptions: ParsableArguments {
        @OptionGroup var corpus: CorpusName
        @Option(name: .customLong("n"), parsing: .unconditional, help: "Order n (1…5).")
        var n = 3
        @Option(name: .long, help: "mle | laplace | addk | kn.")
        var smoothing = "kn"
        @Option(name: .long, parsing: .unconditional, help: "k of add-k smoothing (above 0, at most 100).")
        var k = 0.1
        @Option(name: .long, parsing: .unconditional, help: "Kneser–Ney absolute discount d (0 < d < 1).")
        var discount = 0.75
        @Option(name: .customLong("min-count"), parsing: .unconditional,
                help: "Tokens seen fewer times in training become <unk> (1…1000000).")
        var minCount = 2
        @OptionGroup var output: JSONOutput

        func validate() throws {
            try checkRange("--n", n, 1...5)
            try checkRange("--min-count", minCount, 1...1_000_000)
            _ = try smoothingRule()
        }

        func smoothingRule() throws -> NGramSmoothing {
            try usage { try NGramSmoothing(named: smoothing, k: k, discount: discount) }
        }

        /// The corpus and a model of order `order` (default --n), with the counting time.
        func load(order: Int? = nil) throws -> (Corpus, NGramModel, seconds: Double) {
            let corpus = try self.corpus.load()
            let (model, seconds) = try NGramModel.counted(corpus, minCount: minCount, order: order ?? n,
                                                          smoothing: try smoothingRule())
            return (corpus, model, seconds)
        }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "train", abstract: "Count the corpus and summarise the model.")
        @OptionGroup var options: ModelOptions

        func run() throws {
            let (corpus, m, seconds) = try options.load()
            let summary = NGramSummary(m, corpus: corpus, countSeconds: seconds)
            try options.output.show(NGramReport.summary(summary), json: summary)
        }
    }

    struct Prob: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "prob", abstract: "P(sentence) as a ledger: one row per token, </s> included.")
        @Argument(help: "The sentence (tokenized like the corpus).")
        var sentence: String
        @OptionGroup var options: ModelOptions
        @Flag(name: .long, help: "Open the ledger full screen (scroll with ↑/↓).")
        var explore = false

        func run() throws {
            let (corpus, m, _) = try options.load()
            let ids = corpus.split(sentence).map(m.tokens.idOrUnknown)
            let ledger = m.ledger(ids)
            let output = NGramReport.ledger(ledger)
            if explore && !options.output.json { return try ExplorerLauncher.open(OutputPage(title: Learner.text("P(sentence) ledger · \(options.n)-gram (\(options.smoothing)) on \(options.corpus)", "P(句子) 账本 · \(options.corpus) 上的 \(options.n)-gram（\(options.smoothing)）")) { output }) }
            try options.output.show(output, json: NGramLedgerJSON(ledger))
        }
    }

    struct Perplexity: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "perplexity", abstract: "Held-out perplexity for n = 1 … --max-n.")
        @OptionGroup var options: ModelOptions
        @Option(name: .customLong("max-n"), parsing: .unconditional, help: "Largest order to evaluate (1…5).")
        var maxN = 5

        func validate() throws { try checkRange("--max-n", maxN, 1...5) }

        func run() throws {
            let corpus = try options.corpus.load()
            let smoothing = try options.smoothingRule()
            let reports = try NGramModel.heldOutPerplexities(corpus, minCount: options.minCount, maxN: maxN,
                                                             smoothing: smoothing)
            try options.output.show(NGramReport.perplexities(reports, corpus: corpus.spec.name,
                                                             smoothing: smoothing), json: reports)
        }
    }

    struct Sparsity: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sparsity",
            abstract: "Share of held-out k-grams never seen in training, k = 1 … --n.")
        @OptionGroup var options: ModelOptions

        func run() throws {
            let (corpus, m, _) = try options.load()
            let rows = try m.heldOutSparsity(corpus)
            try options.output.show(NGramReport.sparsity(rows, corpus: corpus.spec.name), json: rows)
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", abstract: "Write sentences with the model (greedy or sampled).")
        @OptionGroup var options: ModelOptions
        @Option(name: .long, help: "Text to continue (tokenized like the corpus).")
        var prompt = ""
        @Flag(name: .long, help: "Always take the most probable token instead of sampling.")
        var greedy = false
        @Option(name: .long, parsing: .unconditional, help: "Sampling temperature τ: P(w)^(1/τ) (0.1…100).")
        var temperature = 1.0
        @Option(name: .long, parsing: .unconditional, help: "Random seed (the same seed gives the same text).")
        var seed: UInt64 = 0
        @Option(name: .long, parsing: .unconditional, help: "Number of sentences (1…1000).")
        var count = 1
        @Option(name: .customLong("max-tokens"), parsing: .unconditional, help: "Stop a sentence after this many tokens (1…10000).")
        var maxTokens = 40

        func validate() throws {
            // τ = 0.1 already turns P into P^10 (all but greedy); the lesson's slider stops there.
            try checkRange("--temperature", temperature, 0.1...100, hint: Learner.text(
                "for always the most probable word use --greedy; 1 samples the model as it is.",
                "想每次都取最可能的词就用 --greedy；1 按模型原样采样。"))
            try checkRange("--count", count, 1...1000)
            try checkRange("--max-tokens", maxTokens, 1...10_000)
        }

        func run() throws {
            let (corpus, m, _) = try options.load()
            let prompt = corpus.split(self.prompt).map(m.tokens.idOrUnknown)
            let texts = try m.sentences(prompt: prompt, count: count, maxTokens: maxTokens, greedy: greedy,
                                        temperature: temperature, seed: seed, tokenization: corpus.spec.tokenization)
            if options.output.json { print(try jsonString(texts)); return }
            texts.forEach { print($0) }
        }
    }
}

