// CellPolicy — what a lesson cell may do. A lesson is Markdown that people share, so its cells are a stranger's
// commands: they may read, compute and show, and nothing more unless the learner says yes (issue 17).
//
// Every command that can do more says so (`CellEffects`, conformances at the end of this file — the one place that
// classifies the commands), and `CellPolicy.verdict` decides:
//
//   writes under <state>/models (where `train` saves by default)       run
//   builds and runs Swift code a cell names (`exercise check --file`)   refused: run it yourself in a terminal
//   writes into the project's shipped Models/                           refused: a cell never replaces them
//   any other write (`--out`, `--save`, `exercise reset`), the network   the notebook asks (y/n);
//   (`download`, `probe`, `--api`, `--endpoint`)                          `lmlab lesson run` refuses
//   listening for connections (`serve`)                                 refused: start a server in a terminal
//
// A line the learner changed in the notebook's edit line is theirs, as in the REPL, but it began as the lesson's
// text and one changed word leaves the rest the author's: so what a lesson's line is refused (running code, writing
// into Models/) is asked instead, showing the whole line, and what would be asked is still asked.
//
// Every refusal ends with the exact `lmlab …` line to type in a terminal. Commands with no conformance read,
// compute and show only (CellPolicyTests' everyCommandIsClassified checks that every command is one or the other).
// Options that name a path only to read it (--model, --compare, --policy, --reference, --base, --analogies, --rnn,
// --gru, --text) are reading; `exercise check` without --file builds the learner's own exercise file (so do
// `exercise watch` and `exercise plug`), and `exercise hint` writes progress into the state folder — the learner's,
// not the lesson's, choices.
import Foundation
import Hub
import Lab
import LabBench
import NeuralLMs

/// Something a command does beyond reading, computing and showing.
enum CellEffect: Equatable {
    /// Builds this Swift file and runs what it builds.
    case runsCode(file: String)
    /// Creates or replaces files at this path (a file or a folder).
    case writes(URL)
    /// Talks to the server at this address.
    case network(String)
    /// Listens for connections at this address until stopped (`serve`).
    case listens(String)
}

/// A command that, as parsed, may do more than read, compute and show.
protocol CellEffects {
    /// What running it would do beyond reading, computing and showing; empty when nothing.
    var cellEffects: [CellEffect] { get }
}

struct CellPolicy {
    /// Where a cell may write unasked: the learner's trained models.
    let ownModels: URL
    /// The project's shipped models, which a cell never writes.
    let shippedModels: URL?

    init(environment: [String: String]) {
        ownModels = ProjectPaths.trainedModels(environment: environment)
        shippedModels = ProjectPaths.shippedModels(environment: environment)
    }

    enum Verdict: Equatable {
        case run
        /// Needs the learner's yes; `what` says what the command would do ("reaches the network (…)").
        case ask(what: String)
        case refuse(String)
    }

    /// - Parameters:
    ///   - effects: what the parsed command would do.
    ///   - words: the command's words (without `lmlab`), for the message and the line to type instead.
    ///   - typedByLearner: the learner edited this line (refusals become questions).
    func verdict(_ effects: [CellEffect], words: [String], typedByLearner: Bool = false) -> Verdict {
        let shown = "`\(Self.commandLine(words, lmlab: false))`"
        let yourself = "run it yourself in a terminal: \(Self.commandLine(words))"
        var asks: [String] = []
        for effect in effects {
            switch effect {
            case .runsCode(let file) where typedByLearner:
                asks.append("builds and runs \(VisibleText.escapingControls(file)) as Swift code")
            case .runsCode(let file):
                return .refuse("\(shown) would build and run \(VisibleText.escapingControls(file)), Swift code the lesson "
                    + "chose; a lesson cell never runs code. HINT: read the file first, then \(yourself)")
            case .writes(let url):
                if ProjectPaths.isInside(url, ownModels) { continue }
                if let shipped = shippedModels, ProjectPaths.isInside(url, shipped) {
                    if typedByLearner {
                        asks.append("replaces files inside the lab's shipped models (\(VisibleText.escapingControls(url.path)))")
                        continue
                    }
                    return .refuse("\(shown) would write \(url.path), inside the lab's shipped models (\(shipped.path)); "
                        + "a lesson cell never replaces them. HINT: leave out --out/--save, and a model trained in a cell "
                        + "goes to \(ownModels.path); or \(yourself)")
                }
                asks.append("writes \(VisibleText.escapingControls(url.path))")
            case .network(let address):
                asks.append("reaches the network (\(VisibleText.escapingControls(address)))")
            case .listens(let address):
                return .refuse("\(shown) would listen on the network (\(VisibleText.escapingControls(address))) until stopped; "
                    + "a lesson cell never starts a server. HINT: \(yourself)")
            }
        }
        return asks.isEmpty ? .run : .ask(what: "\(shown) " + asks.joined(separator: " and "))
    }

    /// What the executor says when nobody can be asked (headless), or the learner said no.
    static func refusal(_ what: String, words: [String], asked: Bool) -> String {
        let yourself = "run it yourself in a terminal: \(commandLine(words))"
        return asked
            ? "\(what): not run, you said no. HINT: \(yourself)"
            : "\(what); `lmlab lesson run` cannot ask you, so a lesson cell may not do that here. "
                + "HINT: \(yourself) — or open the lesson in the notebook (`lmlab`), which asks first."
    }

    /// The words as one line to paste into a shell: plain words as they are, others in single quotes, control
    /// characters escaped so the line can be shown.
    static func commandLine(_ words: [String], lmlab: Bool = true) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        let quoted = words.map { w -> String in
            let visible = VisibleText.escapingControls(w)
            return !w.isEmpty && w.allSatisfy(safe.contains) ? w : "'" + visible.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        return ((lmlab ? ["lmlab"] : []) + quoted).joined(separator: " ")
    }
}

// MARK: - What each command does beyond reading, computing and showing

extension DownloadCommand: CellEffects {
    var cellEffects: [CellEffect] {
        [.network(hubEndpoint.url.absoluteString), .writes(HubCache().root)]
    }
}

extension LessonExport: CellEffects {
    var cellEffects: [CellEffect] { [.writes(outURL)] }
}

extension ProbeCommand: CellEffects {
    var cellEffects: [CellEffect] { [.network(url)] }
}

extension ServeCommand: CellEffects {
    var cellEffects: [CellEffect] { [.listens("\(host):\(port)")] }
}

extension CheckCommand.Greedy: CellEffects {
    var cellEffects: [CellEffect] { [.network(api)] }
}

extension GenerateCommand: CellEffects {
    var cellEffects: [CellEffect] { api.map { [.network($0)] } ?? [] }
}

extension ExerciseCommand.Check: CellEffects {
    /// Without --file it builds the learner's own Lessons/exercises/NAME.swift (the name is looked up in the
    /// catalog, so a lesson cannot choose the code): that is the exercise, and runs.
    var cellEffects: [CellEffect] {
        (file.map { [.runsCode(file: $0)] } ?? []) + (api.map { [.network($0)] } ?? [])
    }
}

extension ExerciseCommand.Reset: CellEffects {
    var cellEffects: [CellEffect] {
        let work = (try? ExerciseCatalog.ofProject()).flatMap { c in (try? c.entry(name)).map(c.workFile) }
        return [.writes(work ?? URL(fileURLWithPath: "Lessons/exercises/\(name).swift"))]
    }
}

extension EmbedCommand.Train: CellEffects {
    var cellEffects: [CellEffect] { save.map { [.writes(URL(fileURLWithPath: $0))] } ?? [] }
}

extension TrainTinyErnieCommand: CellEffects {
    /// --bench trains a throw-away tokenizer in the temporary folder and saves nothing.
    var cellEffects: [CellEffect] { training.bench != nil ? [] : [.writes(training.outFolder(name: "tiny-ernie"))] }
}

extension TrainTinyInstructCommand: CellEffects {
    var cellEffects: [CellEffect] { training.bench != nil ? [] : [.writes(training.outFolder(name: "tiny-ernie-instruct"))] }
}

extension TrainNNLMCommand: CellEffects {
    var cellEffects: [CellEffect] { [.writes(training.folder("nnlm-\(corpus)"))] }
}

extension TrainRNNCommand: CellEffects {
    var cellEffects: [CellEffect] { [.writes(options.training.folder("\(RecurrentCellKind.elman.rawValue)-\(options.corpus)"))] }
}

extension TrainGRUCommand: CellEffects {
    var cellEffects: [CellEffect] { [.writes(options.training.folder("\(RecurrentCellKind.gru.rawValue)-\(options.corpus)"))] }
}

extension TrainSeq2SeqCommand: CellEffects {
    var cellEffects: [CellEffect] { [.writes(training.folder(noAttention ? "seq2seq-numbers-plain" : "seq2seq-numbers"))] }
}

/// --random-0.3b writes a 0.7 GB checkpoint into the temporary folder once.
extension BenchModelOptions {
    var cellEffects: [CellEffect] {
        random03B ? [.writes(RandomErnieCheckpoint.defaultFolder(config: .ernie45_0_3B, seed: seed))] : []
    }
}

extension BenchDecode: CellEffects { var cellEffects: [CellEffect] { options.cellEffects } }
extension BenchPrefill: CellEffects { var cellEffects: [CellEffect] { options.cellEffects } }
extension BenchBeam: CellEffects { var cellEffects: [CellEffect] { options.cellEffects } }
