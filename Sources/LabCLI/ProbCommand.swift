// `lmlab prob`: P(text) under a model, token by token — the chain rule made visible (lesson 1, lesson 10).
//
//   $ lmlab prob "hello, world" --model ernie-4.5-0.3b
//   BOS: <s> (id 1) prepended, so the first text token is scored too (lm-evaluation-harness convention)
//   pos  id     piece   P          log P     running
//   0    1      <s>     —          —         0.000
//   1    18830  hello   0.000123   -9.003    -9.003
//   …
//   total log P -…  P …  perplexity …
//
// --compare puts a second model beside the first (same ids: the models must share the tokenizer) with the
// per-token difference, which is how lesson 10 contrasts the base and the post-trained model. --json prints
// {"model", "bos", "precision", "tokens": [{"id", "piece", "logprob"|null}], "total_logprob", "perplexity"}
// (docs/ERNIE.md). --precision converts the weights at load (ERNIE/WeightPrecision.swift); --compare-precision
// does so for the second model, so `--model M --compare M --compare-precision int8` shows what int8 changes.
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore
import Hub
import ModelFiles
import TerminalUI
import Tokenizers

struct ProbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prob",
        abstract: "Score a text with a model: P of every token given the ones before it, the total and the perplexity.",
        discussion: """
        The first token fed to the model is context only. With --bos (the default for plain text) <s> goes \
        first, so every token of the text is scored; with --no-bos the text's first token cannot be scored \
        and is listed without a probability. --chat wraps the text in ERNIE's chat template as a user turn \
        (no <s>, the template starts with <|begin_of_sentence|>). --ids scores the given ids as they are: \
        every id after the first.

        Examples:
          lmlab prob "hello, world" --model ernie-4.5-0.3b
          lmlab prob "hello, world" --model ernie-4.5-0.3b \\
              --compare ernie-4.5-0.3b-base
          lmlab prob --ids 1,18830,93938,3135 --model path/to/folder --json
          lmlab prob "hello, world" --model tiny-ernie --compare tiny-ernie \\
              --compare-precision int8
        """)

    @Argument(help: "The text to score (omit with --ids).")
    var text: String?

    @Option(name: .long, help: "A model folder or a model name (see `lmlab models`).")
    var model: String

    @Option(name: .long, help: "A second model to score the same tokens, side by side.")
    var compare: String?

    @Option(name: .long, help: ArgumentHelp("Weights of --model: \(WeightPrecision.helpChoices).",
                                            valueName: "precision"))
    var precision: WeightPrecision = .asStored

    @Option(name: .customLong("compare-precision"),
            help: ArgumentHelp("Weights of --compare (default: --precision); the same choices.", valueName: "precision"))
    var comparePrecision: WeightPrecision?

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Put <s> first so the text's first token is scored (default: on, off with --chat).")
    var bos: Bool?

    @Flag(name: .long, help: "Score the text as a user message in the chat template.")
    var chat = false

    @Option(name: .long, help: "Comma-separated token ids to score as given (no tokenizer needed).")
    var ids: String?

    @Flag(name: .long, help: "Open the ledger full screen (scroll with ↑/↓).")
    var explore = false

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    func validate() throws {
        if text == nil && ids == nil { throw ValidationError("give a TEXT to score, or --ids 1,2,3") }
        if let text, text.isEmpty {
            throw ValidationError("TEXT is empty, so there is no token to score (the perplexity would be 0/0). "
                + "HINT: give a text, e.g. lmlab prob \"The cat sat.\" --model tiny-ernie.")
        }
        if explore && json { throw ValidationError("--explore opens the full-screen ledger; it does not combine with --json.") }
        if text != nil && ids != nil { throw ValidationError("give either a TEXT or --ids, not both") }
        if comparePrecision != nil && compare == nil {
            throw ValidationError("--compare-precision applies to the --compare model; give --compare too")
        }
        if ids != nil && (bos != nil || chat) {
            throw ValidationError("--ids are scored exactly as given; --bos/--no-bos and --chat apply to TEXT only")
        }
        if let ids, parseIds(ids) == nil {
            throw ValidationError("--ids \(ids): expected comma-separated non-negative integers, like 1,18830,93938")
        }
    }

    func run() throws {
        let main = try Self.load(model, precision: precision)
        let other = try compare.map { try Self.load($0, precision: comparePrecision ?? precision) }
        let (tokenIds, convention) = try tokenize(with: main.tokenizer)
        guard tokenIds.count >= 2 else {
            throw ProbError("\(tokenIds.count) token\(tokenIds.count == 1 ? "" : "s") (\(tokenIds)): the first is context, "
                + "so nothing is scored and the perplexity is 0/0. HINT: give a longer text or more --ids, or keep --bos "
                + "so the text's first token is scored.")
        }
        let first = try SentenceScore.score(tokenIds, with: main.model, pieces: main.model.vocabulary.piece)
        let second = try other.map { try SentenceScore.score(tokenIds, with: $0.model, pieces: $0.model.vocabulary.piece) }
        if json {
            print(try Self.jsonText(first, second, bos: convention, precisions: (main.model.weights.precision,
                                                                                  other?.model.weights.precision)))
        } else if explore {
            let ledgers = ([first] + (second.map { [$0] } ?? [])).map { Output.ledger(Self.ledger($0)) }
            let page = OutputPage(title: "P(sentence) ledger · " + ([model] + (compare.map { [$0] } ?? [])).joined(separator: " vs ")) {
                .group(OutputGroup([.text(OutputText(convention, .dim)),
                                    .text(OutputText(Self.precisionLine(main, other), .dim))] + ledgers))
            }
            try ExplorerLauncher.open(page)
        } else {
            print(Self.render(first, second, bos: convention + "\n" + Self.precisionLine(main, other)))
        }
    }

    /// A score as Lab's ledger Output: one row per token, P, log P and the running total (unscored rows left out).
    static func ledger(_ score: SentenceScore) -> Ledger {
        Ledger(title: score.model, entries: score.entries.compactMap { e in
            e.logProb.map { LedgerEntry(token: visiblePiece(e.piece), probability: exp(Double($0)), logProb: Double($0),
                                        running: e.runningLogProb) }
        })
    }

    /// The ids to score and a sentence stating the BOS convention used.
    func tokenize(with tokenizer: ErnieTokenizer?) throws -> ([Int], String) {
        if let ids, let parsed = parseIds(ids) {
            return (parsed, "ids as given: the first (\(parsed.first.map(String.init) ?? "none")) is context, "
                    + "every later id is scored")
        }
        guard let tokenizer else {
            throw ProbError("\(model): no tokenizer.model in the model folder, so TEXT cannot be tokenized. "
                + "HINT: add the tokenizer files to the folder, or pass token ids with --ids.")
        }
        let text = try StandardInputText.resolve(text ?? "")
        let useBos = bos ?? !chat
        var result: [Int] = []
        if useBos {
            guard let b = tokenizer.bosId else {
                throw ProbError("\(model): the tokenizer defines no bos_token. HINT: use --no-bos.")
            }
            result.append(b)
        }
        result += chat ? try tokenizer.encodeChat([ChatMessage(.user, text)], addGenerationPrompt: true)
                       : tokenizer.encode(text, addBos: false)
        let convention: String
        if useBos {
            convention = "BOS: \(tokenizer.piece(result[0])) (id \(result[0])) prepended, so the first token of the "
                + "text is scored too (lm-evaluation-harness convention)"
        } else {
            convention = "no BOS (transformers' default): the first token \(result.first.map(tokenizer.piece) ?? "") "
                + "is context and cannot be scored"
        }
        return (result, convention)
    }

    func parseIds(_ s: String) -> [Int]? {
        let parts = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        return parts.map { $0! }
    }

    /// A model with its tokenizer (nil when the folder has no tokenizer.model).
    struct Loaded {
        let model: ErnieModel
        let tokenizer: ErnieTokenizer?

        /// The tokenizer, for commands that start from text.
        /// - Throws: `ProbError` naming the model and the fix when its folder has no tokenizer.model.
        func requireTokenizer(_ name: String) throws -> ErnieTokenizer {
            guard let tokenizer else {
                throw ProbError("\(name): no tokenizer.model in the model folder, so text cannot be tokenized. HINT: use the model folder with its tokenizer files.")
            }
            return tokenizer
        }
    }

    /// The model folder `argument` names: an existing folder path, or a name for ModelLocator (short names come from
    /// Models/catalog.json; a malformed catalog is an error, never skipped). A path to config.json stands for its
    /// folder; a folder or file of the lab's other models (Models/nnlm-stories-en, …) says which command reads it.
    /// - Throws: `ModelLocatorError` saying where it looked and how to get the model, or `.otherKind`.
    static func folder(_ argument: String, locator given: ModelLocator? = nil) throws -> ModelFolder {
        let url = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let folder = ModelFolder(url: url)
            if folder.config == nil, let kind = LabModelKind.of(folder: url) {
                throw ModelLocatorError.otherKind(path: argument, kind: kind)
            }
            return folder
        }
        return try (given ?? ModelLocator.withProjectCatalog()).locate(argument)
    }

    /// Resolves `argument` (a folder path or a name for ModelLocator) and loads weights and tokenizer.
    /// - Throws: `ModelLocatorError` saying where it looked and how to get the model, or a loading error.
    /// A session name (`load NAME MODEL`) is resolved first; a model already loaded in this session (in the same
    /// precision) is reused. A converted model is named with its precision (`tiny-ernie [int8]`), so a ledger
    /// comparing a model with itself in two precisions says which column is which.
    static func load(_ argument: String, precision: WeightPrecision = .asStored,
                     locator given: ModelLocator? = nil) throws -> Loaded {
        let resolved = SessionModels.shared.resolve(argument)
        let folder = try Self.folder(resolved, locator: given)
        return try SessionModels.shared.model(for: folder, precision: precision.rawValue) {
            let tokenizer = folder.tokenizerModel == nil ? nil : try ErnieTokenizer(folder: folder)
            let name = precision == .asStored ? resolved : "\(resolved) [\(precision.rawValue)]"
            let model = try ErnieModel(folder: folder, name: name, vocabulary: tokenizer, precision: precision)
            return Loaded(model: model, tokenizer: tokenizer)
        }
    }

    /// "weights: …" for the ledger header: each model's precision and what it costs.
    static func precisionLine(_ a: Loaded, _ b: Loaded?) -> String {
        func describe(_ m: ErnieModel) -> String {
            let stored = m.weights.storedStorage.rawValue
            return m.weights.precision == .asStored ? "as stored (\(stored), memory-mapped)"
                : "\(m.weights.precision.rawValue), converted at load from \(stored) — \(m.weights.precision.summary)"
        }
        guard let b else { return "weights: " + describe(a.model) }
        return "weights: A \(describe(a.model)); B \(describe(b.model))"
    }

    // MARK: Output

    /// The ledger as a table; with a second score, its columns and the difference B − A.
    static func render(_ a: SentenceScore, _ b: SentenceScore?, bos: String) -> String {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        func p(_ lp: Float?) -> String { lp.map { String(format: "%.6g", exp(Double($0))) } ?? "—" }
        func l(_ lp: Float?) -> String { lp.map { f(Double($0)) } ?? "—" }
        // Columns are measured in terminal cells (CJK pieces take 2), so Chinese text lines up.
        func pad(_ s: String, _ n: Int) -> String {
            let w = DisplayWidth.of(s)
            return w >= n ? s + " " : s + String(repeating: " ", count: n - w)
        }
        let pieceWidth = min(24, max(5, a.entries.map { DisplayWidth.of(visiblePiece($0.piece)) }.max() ?? 5)) + 1
        var lines = [bos]
        var header = pad("pos", 5) + pad("id", 8) + pad("piece", pieceWidth)
        header += b == nil ? pad("P", 12) + pad("log P", 10) + "running"
                           : pad("log P (A)", 11) + pad("log P (B)", 11) + "B − A"
        lines.append(header)
        for (i, e) in a.entries.enumerated() {
            var row = pad(String(e.position), 5) + pad(String(e.id), 8) + pad(visiblePiece(e.piece), pieceWidth)
            if let b {
                let other = b.entries[i].logProb
                let diff = zip2(e.logProb, other).map { f(Double($1 - $0)) } ?? "—"
                row += pad(l(e.logProb), 11) + pad(l(other), 11) + diff
            } else {
                row += pad(p(e.logProb), 12) + pad(l(e.logProb), 10) + f(e.runningLogProb)
            }
            lines.append(row)
        }
        func summary(_ s: SentenceScore) -> String {
            "\(s.model): total log P \(f(s.totalLogProb)), P \(String(format: "%.6g", s.probability)), "
                + "perplexity \(f(s.perplexity)) over \(s.scoredCount) scored tokens"
        }
        lines.append(summary(a))
        if let b {
            lines.append(summary(b))
            lines.append("B − A: \(f(b.totalLogProb - a.totalLogProb)) nats (A = \(a.model), B = \(b.model))")
        }
        return lines.joined(separator: "\n")
    }

    /// Control characters escaped, so a newline piece stays on its row.
    static func visiblePiece(_ s: String) -> String {
        s.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
    }

    struct ProbError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static func zip2(_ a: Float?, _ b: Float?) -> (Float, Float)? {
        guard let a, let b else { return nil }
        return (a, b)
    }

    static func jsonText(_ a: SentenceScore, _ b: SentenceScore?, bos: String,
                         precisions: (WeightPrecision, WeightPrecision?)) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let value = SentenceScoreJSON(a, compare: b, bos: bos, precision: precisions.0.rawValue,
                                      comparePrecision: precisions.1?.rawValue)
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// `--precision as-stored|bf16|f32|int8` (a bad value is refused by ArgumentParser, naming the option and the choices).
extension WeightPrecision: ExpressibleByArgument {
    /// The choices with what each does and costs, for help texts.
    static var helpChoices: String {
        allCases.map { "\($0.rawValue) = \($0.summary)" }.joined(separator: "; ")
    }
}
