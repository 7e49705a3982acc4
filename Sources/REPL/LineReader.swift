// LineReader — read command lines: GNU readline on a terminal (history, editing, Tab completion, Ctrl-R),
// plain lines from a pipe (no escape codes, no prompt noise).
//
// Readline's completion callback is a C function pointer that cannot capture context, so the current completion
// function lives in one module-level variable: the REPL is single-threaded and owns one LineReader at a time. It is
// asked with the line before the word being completed, so it can offer the options of the command being typed.

import CReadline
import Foundation
import LabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What Tab offers: (the line before the word, the word so far) → candidates; set by the owner of the LineReader.
nonisolated(unsafe) private var complete: (String, String) -> [String] = { _, _ in [] }

/// Readline's generator: called with state 0 first, then 1, 2, … until it returns nil.
private let completionGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { text, state in
    nonisolated(unsafe) struct Cursor { static var matches: [String] = []; static var index = 0 }
    if state == 0 {
        let prefix = text.map { String(cString: $0) } ?? ""
        // rl_point is the cursor's byte offset in rl_line_buffer; the word being completed ends there.
        let line = rl_line_buffer.map { Array(UnsafeBufferPointer(start: $0, count: Int(rl_point))) } ?? []
        let before = line.prefix(max(0, line.count - prefix.utf8.count)).map { UInt8(bitPattern: $0) }
        Cursor.matches = complete(String(decoding: before, as: UTF8.self), prefix).filter { $0.hasPrefix(prefix) }
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
    ///   - completions: Tab's candidates for a word, given the line before it and the word typed so far.
    public init(historyFile: String?, completions: @escaping (_ before: String, _ word: String) -> [String]) {
        interactive = isatty(STDIN_FILENO) == 1
        historyPath = historyFile
        complete = completions
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

    /// The next line without its newline, or nil at end of input (Ctrl-D).
    public func readLine(prompt: String) -> String? {
        guard interactive else { return pipedLine() }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(raw)
            if let path = historyPath { _ = append_history(1, path) ; _ = history_truncate_file(path, 1000) }
        }
        return line
    }

    /// A line from a pipe, without its newline. Swift's readLine retries getline after a signal without clearing the
    /// stream's error, so a Ctrl-C between two piped lines left the REPL spinning forever; here the error is cleared
    /// and the line read again (no line was being typed, so the Ctrl-C drops nothing).
    private func pipedLine() -> String? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while true {
            errno = 0
            let count = getline(&buffer, &capacity, stdin)
            if count >= 0, let buffer {
                var line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: count), as: UTF8.self)
                if line.hasSuffix("\n") || line.hasSuffix("\r\n") { line.removeLast() }
                return line
            }
            guard errno == EINTR else { return nil }
            clearerr(stdin)
            Cancellation.reset()
        }
    }

    /// Reads whole commands until end of input: a line for which `continues` is true (it ends in \ or inside an
    /// open quote) goes on on the next one, as in a shell; input that ends inside one still runs, so the learner sees
    /// the error, not silence. `run` returns false to end the session.
    public func readCommands(continues: (String) -> Bool, _ run: (String) -> Bool) {
        var pending = ""
        while let line = readLine(prompt: pending.isEmpty ? "lmlab> " : "  ...> ") {
            let whole = pending + line
            if continues(whole) {
                pending = whole.hasSuffix("\\") ? String(whole.dropLast()) + " " : whole + "\n"
                continue
            }
            pending = ""
            guard run(whole) else { return }
        }
        if !pending.isEmpty { _ = run(pending) }
    }
}
