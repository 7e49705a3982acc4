// LineReader — read command lines: GNU readline on a terminal (history, editing, Tab completion, Ctrl-R),
// plain lines from a pipe (no escape codes, no prompt noise).
//
// Readline's completion callback is a C function pointer that cannot capture context, so the current completion
// word list lives in one module-level variable: the REPL is single-threaded and owns one LineReader at a time.

import CReadline
import Foundation
import LabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Words offered by Tab completion (commands, options, model names); set by the owner of the LineReader.
nonisolated(unsafe) private var completionWords: [String] = []

/// Readline's generator: called with state 0 first, then 1, 2, … until it returns nil.
private let completionGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { text, state in
    nonisolated(unsafe) struct Cursor { static var matches: [String] = []; static var index = 0 }
    if state == 0 {
        let prefix = text.map { String(cString: $0) } ?? ""
        Cursor.matches = completionWords.filter { $0.hasPrefix(prefix) }
        Cursor.index = 0
    }
    guard Cursor.index < Cursor.matches.count else { return nil }
    defer { Cursor.index += 1 }
    return strdup(Cursor.matches[Cursor.index])
}

public final class LineReader {
    /// True when standard input is a terminal, so readline is used.
    public let interactive: Bool
    private let historyPath: String?

    /// - Parameters:
    ///   - historyFile: where history persists between sessions (created when missing); nil keeps none.
    ///   - completions: words for Tab completion.
    public init(historyFile: String?, completions: [String]) {
        interactive = isatty(STDIN_FILENO) == 1
        historyPath = historyFile
        completionWords = completions
        guard interactive else { return }
        rl_readline_name = UnsafePointer(strdup("lmlab"))
        rl_completion_entry_function = completionGenerator
        // Ctrl-C at the prompt discards the line being typed and shows a fresh prompt (the session goes on):
        // readline leaves signals to us, and wakes this hook when our SIGINT handler interrupts its read.
        rl_catch_signals = 0
        rl_signal_event_hook = {
            if Cancellation.isRequested {
                Cancellation.reset()
                rl_replace_line("", 0)
                fputs("^C\n", stdout)
                rl_on_new_line()
                rl_redisplay()
            }
            return 0
        }
        stifle_history(1000)
        if let path = historyFile {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            _ = read_history(path)
        }
    }

    /// Replaces the Tab-completion words.
    public func setCompletions(_ words: [String]) { completionWords = words }

    /// The next line without its newline, or nil at end of input (Ctrl-D).
    public func readLine(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(raw)
            if let path = historyPath { _ = append_history(1, path) ; _ = history_truncate_file(path, 1000) }
        }
        return line
    }
}
