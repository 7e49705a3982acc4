// PromptOptions — the prompt and the model that reads it, as `generate`, `sample` and `beam` all take them:
// a TEXT (tokenized, optionally after <s>) or --ids used as given. Each command holds it as an `@OptionGroup`, so
// the options are declared, checked and turned into ids in one place.
import ArgumentParser
import ERNIE
import Lab
import Tokenizers

struct PromptOptions: ParsableArguments {
    @Argument(help: "The text to continue (omit with --ids).")
    var text: String?

    @OptionGroup var chosenModel: ModelName

    /// The --model argument as given.
    var model: String { chosenModel.name }

    @Option(name: .long, help: "Comma-separated prompt ids, used as given (no tokenizer needed).")
    var ids: String?

    @Flag(name: .long, help: "Put the tokenizer's <s> before the text.")
    var bos = false

    func validate() throws {
        if text == nil && ids == nil { throw ValidationError("give a TEXT to continue, or --ids 1,2,3") }
        if text != nil && ids != nil { throw ValidationError("give either a TEXT or --ids, not both") }
        if ids != nil && bos { throw ValidationError("--ids are used exactly as given; --bos applies to TEXT only") }
        if let ids, Self.parseIds(ids) == nil {
            throw ValidationError("--ids \(ids): expected comma-separated non-negative integers, like 1,18830,93938")
        }
    }

    /// "1, 2,3" → [1, 2, 3]; nil unless every part is a non-negative integer.
    static func parseIds(_ s: String) -> [Int]? {
        let parts = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        return parts.map { $0! }
    }

    /// The prompt ids: --ids as given, or TEXT tokenized (after <s> with --bos; as a user turn of the chat template
    /// with `chat`).
    /// - Throws: `PromptError` when TEXT needs a tokenizer the folder lacks, --bos one it does not define, or the
    ///   prompt comes out empty.
    func prompt(_ tokenizer: ErnieTokenizer?, chat: Bool = false) throws -> [Int] {
        if let ids, let parsed = Self.parseIds(ids) { return parsed }
        guard let tokenizer else {
            throw PromptError("\(model): no tokenizer.model in the model folder, so TEXT cannot be tokenized. "
                + "HINT: add the tokenizer files to the folder, or pass prompt ids with --ids.")
        }
        let text = try StandardInputText.resolve(text ?? "")
        if chat { return try tokenizer.encodeChat([ChatMessage(.user, text)], addGenerationPrompt: true) }
        var result: [Int] = []
        if bos {
            guard let b = tokenizer.bosId else {
                throw PromptError("\(model): the tokenizer defines no bos_token. HINT: leave out --bos.")
            }
            result.append(b)
        }
        result += tokenizer.encode(text, addBos: false)
        guard !result.isEmpty else {
            throw PromptError("the prompt is empty. HINT: give a non-empty TEXT, or --bos to start from <s>.")
        }
        return result
    }

    /// A runtime error when the prompt and `maxNewTokens` do not fit in the model's context (decoding would
    /// otherwise stop with an error only when the context is full).
    func checkContext(promptTokens: Int, maxNewTokens: Int, loaded: LoadedModel) throws {
        let context = loaded.model.config.maxPositionEmbeddings
        guard promptTokens + maxNewTokens > context else { return }
        let fix = promptTokens < context ? "use --max-new-tokens \(context - promptTokens) or less, or shorten the prompt"
                                         : "shorten the prompt"
        throw PromptError("--max-new-tokens \(maxNewTokens): the prompt's \(promptTokens) tokens and \(maxNewTokens) new "
            + "ones exceed \(model)'s context of \(context) tokens (max_position_embeddings in config.json). HINT: \(fix).")
    }

    struct PromptError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
