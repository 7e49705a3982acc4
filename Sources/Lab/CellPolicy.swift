// CellPolicy — what a lesson cell may do. A lesson is Markdown that people share, so its cells are a stranger's
// commands: they may read, compute and show, and nothing more unless the learner says yes (issue 17).
//
// Every command that can do more says so (`CellEffects`, conformances in LabCLI/CellPolicy.swift — the one place that
// classifies the commands), and `CellPolicy.verdict` decides:
//
//   writes under <state>/models (where `train` saves by default)       run when nothing is there yet, when it
//                                                                       continues the run there (`--resume`), or
//                                                                       when a lesson's own line trained what is
//                                                                       there (LessonCellRun's mark: lessons re-run);
//                                                                       replacing anything else is asked, as below
//   builds and runs Swift code a cell names (`exercise check --file`)   refused: run it yourself in a terminal
//   runs a lesson (`lesson run`, `lesson export`)                       refused: a lesson can run itself for ever
//   writes into the project's shipped Models/                           refused: a cell never replaces them
//   any other write (`--out`, `--save`, `exercise reset`), the network   the notebook asks (y/n);
//   (`download`, `probe`, `--api`, `--endpoint`)                          `lmlab lesson run` refuses
//   listening for connections (`serve`)                                 refused: start a server in a terminal
//
// Where a write goes is decided on the path the kernel will use (ProjectPaths.isInside, LabCore's KernelPath: each
// symbolic link followed before a ".." after it), and a question shows that path, not the path as written.
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
import LabCore
import ModelFiles

/// Something a command does beyond reading, computing and showing.
public enum CellEffect: Equatable, Sendable {
    /// Builds this Swift file and runs what it builds.
    case runsCode(file: String)
    /// Creates or replaces files at this path (a file or a folder).
    case writes(URL)
    /// Talks to the server at this address.
    case network(String)
    /// Listens for connections at this address until stopped (`serve`).
    case listens(String)
    /// Runs the cells of this lesson (`lesson run`, `lesson export`).
    case runsLesson(file: String)
    /// Adds to the run saved in this folder (`train … --resume`, which fails when there is no checkpoint there).
    case continues(URL)
}

/// A command that, as parsed, may do more than read, compute and show.
public protocol CellEffects {
    /// What running it would do beyond reading, computing and showing; empty when nothing.
    var cellEffects: [CellEffect] { get }
}

public struct CellPolicy: Sendable {
    /// Where a cell may write unasked: the learner's trained models.
    public let ownModels: URL
    /// The project's shipped models, which a cell never writes.
    public let shippedModels: URL?

    public init(environment: [String: String]) {
        ownModels = ProjectPaths.trainedModels(environment: environment)
        shippedModels = ProjectPaths.shippedModels(environment: environment)
    }

    /// Commands that make no sense inside a cell: the REPL and the home screen (neither takes options before its
    /// name). A lesson run inside a lesson is refused by what the line parses to (`CellEffect.runsLesson`).
    static let refusedCommands: Set<String> = ["repl", "home"]

    /// Why the command line `words` (without `lmlab`) cannot run in a cell at all, or nil when it may be tried.
    public static func refusal(_ words: [String]) -> String? {
        guard let first = words.first, refusedCommands.contains(first) else { return nil }
        let name = VisibleText.escapingControls(first)
        return Learner.text(
            "`\(name)` cannot run inside a lesson cell. HINT: cells run lab commands such as tokenize, prob, generate, "
                + "sample, beam.",
            "`\(name)` 不能在课程单元里运行。HINT：单元运行的是 tokenize、prob、generate、sample、beam 这样的实验室命令。")
    }

    /// nil when every ERNIE model of `models` (default: ernie-4.5-0.3b) is found where `--model NAME` looks;
    /// otherwise the locator's own message for the first missing one: every place it looked and the
    /// `lmlab download` / huggingface-cli commands that fix it.
    public static func ernieWeightsMissing(environment: [String: String], models: [String] = ["ernie-4.5-0.3b"]) -> String? {
        do {
            let locator = try ModelLocator.withProjectCatalog(environment: environment)
            for name in models { _ = try locator.locate(name) }
            return nil
        } catch {
            return "\(error)"
        }
    }

    public enum Verdict: Equatable, Sendable {
        case run
        /// Needs the learner's yes; `what` says what the command would do ("reaches the network (…)").
        case ask(what: String)
        case refuse(String)
    }

    /// - Parameters:
    ///   - effects: what the parsed command would do.
    ///   - words: the command's words (without `lmlab`), for the message and the line to type instead.
    ///   - typedByLearner: the learner edited this line (refusals become questions).
    public func verdict(_ effects: [CellEffect], words: [String], typedByLearner: Bool = false) -> Verdict {
        let shown = "`\(Self.commandLine(words, lmlab: false))`"
        let yourself = Self.runItYourself(words)
        let own = KernelPath.resolve(ownModels)                      // the learner's models folder, resolved once
        // Every refusal says it one way: "`cmd` would X; a lesson cell never Y. HINT: Z" (each part as (en, zh)).
        func refuse(would: (String, String), never: (String, String), hint: (String, String)) -> Verdict {
            .refuse(Learner.text("\(shown) would \(would.0); a lesson cell never \(never.0). HINT: \(hint.0)",
                                 "\(shown) 会\(would.1)；课程单元从不\(never.1)。HINT：\(hint.1)"))
        }
        var asks: [String] = []
        for effect in effects {
            switch effect {
            case .runsCode(let file) where typedByLearner:
                let file = VisibleText.escapingControls(file)
                asks.append(Learner.text("builds and runs \(file) as Swift code", "把 \(file) 当作 Swift 代码构建并运行"))
            case .runsCode(let file):
                let file = VisibleText.escapingControls(file)
                return refuse(would: ("build and run \(file), Swift code the lesson chose",
                                      "构建并运行 \(file)，这是课程选定的 Swift 代码"),
                              never: ("runs code", "运行代码"),
                              hint: ("read the file first, then \(yourself)", "先读一读这个文件，再\(yourself)"))
            case .runsLesson(let file):
                let file = VisibleText.escapingControls(file)
                return refuse(would: ("run the cells of \(file) inside this cell", "在这个单元里运行 \(file) 的单元"),
                              never: ("runs a lesson (a lesson that runs itself never ends)",
                                      "运行课程（运行自己的课程永远不会结束）"),
                              hint: (yourself, yourself))
            case .writes(let url), .continues(let url):
                let resolved = KernelPath.resolve(url)               // where the write lands, resolved once (nil: a loop)
                let path = VisibleText.escapingControls((resolved ?? url).path)
                let inside = { (folder: URL) in resolved.map { ProjectPaths.isInside(resolved: $0, folder) } ?? false }
                if let resolved, let own, ProjectPaths.isInside(resolved: resolved, resolvedFolder: own) {
                    // The model folder the write lands in (right inside the models): a write deeper in it changes it
                    // as surely as a replacement does — and could plant LessonCellRun's mark in the learner's model.
                    // A folder a lesson's own line trained (its mark) may be written again unasked.
                    let folder = Self.modelFolder(resolved, in: own)
                    if case .writes = effect, !(folder.map(LessonCellRun.made) ?? false) {
                        if Self.replacesSomething(resolved) {
                            asks.append(Learner.text(
                                "replaces \(path), which is there already (what it holds now is lost; move it away "
                                    + "first to keep it)",
                                "替换已有的 \(path)（里面现有的内容会丢失；想保留就先把它挪走）"))
                        } else if let folder, folder.pathComponents != resolved.pathComponents,
                                  Self.replacesSomething(folder) {
                            let shownFolder = VisibleText.escapingControls(folder.path)
                            asks.append(Learner.text(
                                "writes \(path), inside \(shownFolder), a model folder that is there already",
                                "写入 \(path)，它在已有的模型文件夹 \(shownFolder) 里"))
                        }
                    }
                    continue
                }
                if let shipped = shippedModels, inside(shipped) {
                    if typedByLearner {
                        asks.append(Learner.text("replaces files inside the lab's shipped models (\(path))",
                                                 "替换实验室自带模型里的文件（\(path)）"))
                        continue
                    }
                    return refuse(would: ("write \(path), inside the lab's shipped models (\(shipped.path))",
                                          "写入 \(path)，它在实验室自带的模型里（\(shipped.path)）"),
                                  never: ("replaces them", "替换它们"),
                                  hint: ("leave out --out/--save, and a model trained in a cell goes to "
                                            + "\(ownModels.path); or \(yourself)",
                                         "去掉 --out/--save，单元里训练的模型会存到 \(ownModels.path)；或者\(yourself)"))
                }
                asks.append(Learner.text("writes \(path)", "写入 \(path)"))
            case .network(let address):
                let address = VisibleText.escapingControls(address)
                asks.append(Learner.text("reaches the network (\(address))", "访问网络（\(address)）"))
            case .listens(let address):
                let address = VisibleText.escapingControls(address)
                return refuse(would: ("listen on the network (\(address)) until stopped", "一直在网络上监听（\(address)）直到被停止"),
                              never: ("starts a server", "启动服务器"), hint: (yourself, yourself))
            }
        }
        return asks.isEmpty ? .run : .ask(what: Learner.text("\(shown) " + asks.joined(separator: " and "),
                                                            "\(shown) 会" + asks.joined(separator: "，并且")))
    }

    /// The folder right inside the models folder `own` that `target` lies in or is (both resolved), the one folder a
    /// training run writes and a lesson's mark vouches for; nil for `own` itself or a path outside it.
    static func modelFolder(_ target: URL, in own: URL) -> URL? {
        guard target.pathComponents.count > own.pathComponents.count,
              ProjectPaths.isInside(resolved: target, resolvedFolder: own) else { return nil }
        return own.appendingPathComponent(target.pathComponents[own.pathComponents.count], isDirectory: true)
    }

    /// True when a write to `target` (a path `KernelPath` resolved) would replace something there: a file, or a
    /// folder with anything in it (or one that cannot be listed).
    static func replacesSomething(_ target: URL) -> Bool {
        let path = target.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return false }
        return !isFolder.boolValue || (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty != true
    }

    /// The verdict carried out for a cell: nil when the command may run — at once, or after the learner's yes to
    /// `ask` (the question and the answer are written to `output`) — else the failure that stops it.
    public func permission(_ effects: [CellEffect], words: [String], typedByLearner: Bool, ask: ((String) -> Bool)?,
                           output: (String) -> Void) -> String? {
        switch verdict(effects, words: words, typedByLearner: typedByLearner) {
        case .run:
            return nil
        case .refuse(let message):
            return message
        case .ask(let what):
            guard let ask else { return Self.refusal(what, words: words, asked: false) }
            output(Learner.text("This cell's \(what).\n", "这个单元的 \(what)。\n"))
            guard ask(Self.commandLine(words, lmlab: false)) else {
                output(Learner.text("→ not run (you said no)\n", "→ 没有运行（你选了否）\n"))
                return Self.refusal(what, words: words, asked: true)
            }
            output(Learner.text("→ allowed by you\n", "→ 你已允许\n"))
            return nil
        }
    }

    /// What the executor says when nobody can be asked (headless), or the learner said no.
    public static func refusal(_ what: String, words: [String], asked: Bool) -> String {
        let yourself = runItYourself(words)
        if asked { return Learner.text("\(what): not run, you said no. HINT: \(yourself)", "\(what)：没有运行，你选了否。HINT：\(yourself)") }
        return Learner.text(
            "\(what); `lmlab lesson run` cannot ask you, so a lesson cell may not do that here. "
                + "HINT: \(yourself) — or open the lesson in the notebook (`lmlab`), which asks first.",
            "\(what)；`lmlab lesson run` 没法问你，所以课程单元在这里不能这样做。"
                + "HINT：\(yourself) —— 或者在笔记本（`lmlab`）里打开这节课，它会先问你。")
    }

    /// The way round a refusal: the command to type in a terminal.
    static func runItYourself(_ words: [String]) -> String {
        Learner.text("run it yourself in a terminal: \(commandLine(words))", "在终端里自己运行：\(commandLine(words))")
    }

    /// The words as one line to paste into a shell: plain words as they are, others in single quotes, control
    /// characters escaped so the line can be shown.
    public static func commandLine(_ words: [String], lmlab: Bool = true) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        let quoted = words.map { w -> String in
            let visible = VisibleText.escapingControls(w)
            return !w.isEmpty && w.allSatisfy(safe.contains) ? w : "'" + visible.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        return ((lmlab ? ["lmlab"] : []) + quoted).joined(separator: " ")
    }
}
