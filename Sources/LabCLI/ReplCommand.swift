// `lmlab repl`: the lab's commands in a readline REPL — history, Tab completion, and plain output in a pipe.
import ArgumentParser
import Hub
import ModelFiles
import Foundation
import Lab
import LabCore
import REPL
import TerminalUI

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Run the lab's commands in a readline REPL (history, completion).",
        discussion: """
        Each line is one lab command, written as on the command line without `lmlab`:
          lmlab> lessons --lang zh
          lmlab> help bench
          lmlab> exit
        In a pipe (no terminal) it reads commands from standard input and prints plain output:
          printf 'lessons\\n' | lmlab repl
        History is kept in $XDG_STATE_HOME/lmlab/history (default ~/.local/state/lmlab/history).
        """)

    func run() throws {
        if let notice = TerminalLocale.activate() { FileHandleOutput.standardError(notice) }
        Cancellation.installInterruptHandler()
        SessionModels.shared.interactive = true          // `load NAME MODEL` lasts for the REPL's life
        let reader = LineReader(historyFile: Self.historyPath(), completions: Self.completionWords())
        if reader.interactive {
            print("LMLab REPL — type `help` for the commands, `exit` or Ctrl-D to leave.")
        }
        // A line ending in \ or inside an open quote continues on the next one (multi-line input, as in a shell).
        var pending = ""
        while let line = reader.readLine(prompt: pending.isEmpty ? "lmlab> " : "  ...> ") {
            let whole = pending + line
            if CommandWords.needsContinuation(whole) {
                pending = whole.hasSuffix("\\") ? String(whole.dropLast()) + " " : whole + "\n"
                continue
            }
            pending = ""
            let outcome = Self.execute(whole)
            fflush(stdout)   // keep output in order with stderr when piped
            if outcome == .exit { break }
        }
        // Input ended inside a quote or after a \: run what there is, so the learner sees the error, not silence.
        if !pending.isEmpty { _ = Self.execute(pending) }
    }

    enum Outcome { case ok, failed, exit }

    /// Runs one line of the command language; errors are printed, never thrown, so the session goes on.
    static func execute(_ line: String) -> Outcome {
        let words: [String]
        do { words = try CommandWords.split(line) } catch {
            FileHandleOutput.standardError("error: \(error)")
            return .failed
        }
        guard var first = words.first else { return .ok }
        if first == "lmlab" { return execute(words.dropFirst().joined(separator: " ")) }
        if ["exit", "quit", ":q"].contains(first) { return .exit }
        var args = words
        if first == "help" || first == "?" {
            args = words.count > 1 ? Array(words.dropFirst()) + ["--help"] : ["--help"]
            first = args[0]
        }
        if !first.hasPrefix("-") && !LMLabMain.commandNames.contains(first) {
            var message = "unknown command '\(first)'."
            if let guess = CommandWords.nearest(to: first, in: LMLabMain.commandNames + ["help", "exit"]) {
                message += " Did you mean '\(guess)'?"
            }
            FileHandleOutput.standardError(message + " Type `help` for the commands.")
            return .failed
        }
        Cancellation.reset()
        do {
            var command = try LMLab.parseAsRoot(args)
            if command is ReplCommand { FileHandleOutput.standardError("already in the REPL."); return .failed }
            try command.run()
            return .ok
        } catch is CancellationRequested {
            FileHandleOutput.standardError("cancelled.")
            return .failed
        } catch {
            let message = LMLab.fullMessage(for: error)
            let isHelp = LMLab.exitCode(for: error) == .success
            if isHelp { print(message) } else { FileHandleOutput.standardError(message) }
            return isHelp ? .ok : .failed
        }
    }

    static func historyPath() -> String {
        let env = ProcessInfo.processInfo.environment
        let state = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/state")
        return state + "/lmlab/history"
    }

    /// Command names, their subcommands, every long option they take (read from their help) and the model names of
    /// Models/catalog.json — what Tab completes in the REPL and in the notebook's edit line.
    static func completionWords() -> [String] {
        var words = Set(["help", "exit", "quit"])
        let option = try! NSRegularExpression(pattern: "--[a-z0-9][a-z0-9-]*")
        func visit(_ c: ParsableCommand.Type) {
            if let n = c.configuration.commandName { words.insert(n) }
            let help = c.helpMessage(columns: 200)
            for m in option.matches(in: help, range: NSRange(help.startIndex..., in: help)) {
                if let r = Range(m.range, in: help) { words.insert(String(help[r])) }
            }
            for s in c.configuration.subcommands { visit(s) }
        }
        for c in LMLab.configuration.subcommands { visit(c) }
        let root = ProjectPaths.root() ?? ModelLocator.findProjectRoot(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if let url = ModelCatalogFile.defaultURL(projectRoot: root), let catalog = try? ModelCatalogFile.load(from: url) {
            words.formUnion(catalog.models.map(\.name) + catalog.localModels.map(\.name))
        }
        return words.sorted()
    }
}
