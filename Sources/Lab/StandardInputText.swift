// StandardInputText — `-` as a text argument means "read the text from standard input", as in most Unix tools:
//   echo "One day, Luna went to the" | lmlab generate - --model tiny-ernie
//   lmlab tokenize - --model tiny-ernie < story.txt
// Commands pass their TEXT through `StandardInputText.resolve` (PromptOptions, prob, tokenize), so the rule lives here.
//
// Standard input is only a text source for a command run on the command line: in the REPL it carries the next
// commands and in a notebook it is the keyboard, so there `-` is an error that says what to do. The read is bounded
// (a prompt is text, not a corpus) and must be UTF-8.
import Foundation
import LabCore

public enum StandardInputText {
    /// Whether `-` may read standard input: set by the command-line entry point for the command it runs.
    nonisolated(unsafe) public static var available = false

    /// The most bytes `-` reads (16 MiB); more is an error, not a silent cut.
    public static let limit = 16 << 20

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// `text` itself, or standard input's text when `text` is exactly "-" (one trailing newline removed).
    /// - Parameter what: the argument's name in messages, e.g. "TEXT".
    /// - Throws: `Problem` when stdin is not available here, is a terminal, is longer than `limit`, or is not UTF-8.
    public static func resolve(_ text: String, what: String = "TEXT") throws -> String {
        guard text == "-" else { return text }
        guard available else {
            throw Problem(description: Learner.text(
                "\(what) `-` reads standard input, which only a command run from the shell has. "
                    + "HINT: write the text itself here, or run the command in a shell: echo 'text' | lmlab COMMAND -.",
                "\(what) `-` 表示从标准输入读取文本，只有在 shell 里直接运行的命令才有。"
                    + "HINT：在这里直接写出文本，或在 shell 中运行：echo 'text' | lmlab COMMAND -。"))
        }
        guard isatty(STDIN_FILENO) == 0 else {
            throw Problem(description: Learner.text(
                "\(what) `-` reads standard input, which is the terminal here. "
                    + "HINT: pipe the text in (echo 'text' | lmlab COMMAND -) or redirect a file (< file.txt).",
                "\(what) `-` 表示从标准输入读取，而这里的标准输入是终端。"
                    + "HINT：用管道传入文本（echo 'text' | lmlab COMMAND -），或重定向一个文件（< file.txt）。"))
        }
        return try read(FileHandle.standardInput, what: what)
    }

    /// Reads at most `limit` bytes of UTF-8 text from `handle`, dropping one trailing "\n" (or "\r\n").
    static func read(_ handle: FileHandle, what: String) throws -> String {
        var data = Data()
        while data.count <= limit {
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        guard data.count <= limit else {
            throw Problem(description: Learner.text(
                "\(what) `-`: standard input holds more than \(limit >> 20) MiB. "
                    + "HINT: pass a shorter text; corpora go to the commands that take a corpus file.",
                "\(what) `-`：标准输入超过了 \(limit >> 20) MiB。HINT：给短一些的文本；语料请交给接受语料文件的命令。"))
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw Problem(description: Learner.text(
                "\(what) `-`: standard input is not UTF-8 text. "
                    + "HINT: convert it first, e.g. iconv -f GB18030 -t UTF-8 file.txt | lmlab COMMAND -.",
                "\(what) `-`：标准输入不是 UTF-8 文本。HINT：先转换编码，例如 iconv -f GB18030 -t UTF-8 file.txt | lmlab COMMAND -。"))
        }
        if text.hasSuffix("\r\n") { text.removeLast(2) } else if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
