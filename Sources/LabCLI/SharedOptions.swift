// SharedOptions — the option groups many commands take the same way, declared and checked once:
//
//   ModelName       --model NAME    a model folder or a name (`lmlab models`), loaded through Lab's ModelLoader
//   CorpusName      --corpus NAME   a lesson corpus (`lmlab corpus list`), read from Lessons/data
//   JSONOutput      --json          the command's value as JSON instead of the text (scripts)
//   PrecisionChoice --precision     the weights as stored or converted at load (ERNIE/WeightPrecision.swift)
//   CourseLanguage  --lang          the course's language, en or zh (LabCore/LearnerLanguage.swift)
//   WorkerThreads   --threads       the engine's worker threads for one run (LabCore's EngineOptions)
//   ChatTurn        --chat          the text as a user message in the model's chat template
//   NewTokens       --max-new-tokens how long a continuation may grow (generate, sample)
//
// Each command holds them as `@OptionGroup`s and declares only the options that are its own. The prompt is
// PromptOptions, sampling SamplingOptions, beam search BeamOptions, a server APIOptions, training runs
// TrainingRunOptions.
import ArgumentParser
import ClassicLMs
import ERNIE
import Lab
import LabCore

/// `--model NAME`: a model folder or a model name (see `lmlab models`). Interpolates as the name, so messages read
/// "… \(model) has layers 0…3".
struct ModelName: ParsableArguments, CustomStringConvertible {
    @Option(name: .customLong("model"), help: "A model folder or a model name (see `lmlab models`).")
    var name: String

    var description: String { name }

    /// The weights and tokenizer (Lab's ModelLoader: a session name, a folder, or a name it locates).
    func load(precision: WeightPrecision = .asStored) throws -> LoadedModel { try ModelLoader.load(name, precision: precision) }
}

/// `--corpus NAME`: a lesson corpus (default stories-en). Interpolates as the name.
struct CorpusName: ParsableArguments, CustomStringConvertible {
    @Option(name: .customLong("corpus"), help: "Corpus name (lmlab corpus list).")
    var name = "stories-en"

    var description: String { name }

    /// The corpus, read from the project's Lessons/data.
    func load() throws -> Corpus { try Corpus.lesson(name) }
}

/// `--json`: print the command's result as JSON (pretty, keys sorted) instead of laying it out as text.
struct JSONOutput: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of the text.")
    var json = false

    /// Prints `value` as JSON with --json, else `output` laid out at the output's width.
    func show(_ output: @autoclosure () throws -> Output, json value: some Encodable) throws {
        if json { print(try jsonString(value)) } else { OutputPrinter.print(try output()) }
    }
}

/// `--precision`: the weights as stored, or converted once at load (`generate`, `prob`, the model benchmarks).
struct PrecisionChoice: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Weights: \(WeightPrecision.helpChoices).", valueName: "precision"))
    var precision: WeightPrecision = .asStored
}

/// `--lang en|zh`: the course's language (default: the learner's, from LMLAB_LANG or the locale). Anything else is
/// a usage error naming the two.
struct CourseLanguage: ParsableArguments {
    @Option(name: .long, help: "Language of the course: en or zh (default: from the locale).")
    var lang: String?

    func validate() throws { _ = try usage { try LessonLanguage(option: lang) } }

    /// validate() has refused any --lang but en and zh.
    var language: LessonLanguage { (try? LessonLanguage(option: lang)) ?? Learner.language }
}

/// A command whose `--lang` is the learner's language for the whole run: `main` runs it, and words its errors, in
/// that language. (Home and `lesson run` take the language from the page or the lesson file instead.)
protocol ChoosesCourseLanguage { var common: CourseLanguage { get } }
extension ExerciseCommand.List: ChoosesCourseLanguage {}
extension ExerciseCommand.Check: ChoosesCourseLanguage {}
extension ExerciseCommand.Hint: ChoosesCourseLanguage {}
extension ExerciseCommand.Plug: ChoosesCourseLanguage {}
extension ExerciseCommand.Watch: ChoosesCourseLanguage {}

/// `--threads N`: the engine's worker threads for this run (default: LMLAB_THREADS or the number of cores, as
/// LabCore's EngineOptions reads them at start).
struct WorkerThreads: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Worker threads (1…256; default: LMLAB_THREADS or the number of cores).")
    var threads: Int?

    func validate() throws { try checkRange("--threads", threads, 1...256) }

    /// The count asked for, else the engine's.
    var count: Int { threads ?? labThreadCount }
}

/// `--chat`: the text (a prompt, or the text to score or tokenize) becomes a user message in the model's chat
/// template (ERNIE's; Tokenizers/ChatTemplate.swift), so the model reads it as the start of its answer.
struct ChatTurn: ParsableArguments {
    @Flag(name: .long, help: "Put the text in the chat template as a user message.")
    var chat = false
}

/// `--max-new-tokens N` of `generate` and `sample` (default 32). `beam` keeps its own: a tree a screen can hold
/// is shorter (default 6), and it also answers to --steps.
struct NewTokens: ParsableArguments {
    @Option(name: .long, parsing: .unconditional,
            help: "At most this many new tokens (default 32; 1…\(GenerateCommand.maxNewTokensLimit), and the prompt plus them within the model's context; an end token stops earlier).")
    var maxNewTokens: Int?

    func validate() throws { try checkRange("--max-new-tokens", maxNewTokens, 1...GenerateCommand.maxNewTokensLimit) }

    /// The count asked for, else 32.
    var count: Int { maxNewTokens ?? 32 }
}
