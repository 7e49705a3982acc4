// CommandHistory — the one file of command lines the learner typed, shared by `lmlab repl` (GNU readline reads and
// appends it) and the notebook's edit line (↑/↓ and Ctrl-R), so a command tried in one is found in the other.
//
// Where: $XDG_STATE_HOME/lmlab/history, else $HOME/.local/state/lmlab/history (the XDG Base Directory default).
// $HOME is read from the environment: Foundation's NSHomeDirectory() asks the password database on Linux and
// ignores $HOME, so a learner (or a test) who sets HOME would see another user's file. The format is readline's:
// one line per command, oldest first; readline's optional "#<seconds>" timestamp lines are skipped when reading.
import Foundation
import LabCore

public struct CommandHistory: Sendable {
    /// The history file.
    public let path: String
    /// How many lines are kept (older ones are dropped when a line is added).
    public static let capacity = 1000

    public init(path: String) { self.path = path }

    /// The history of this environment: `history` in the lab's state folder, beside progress.json
    /// (`ProgressStore.defaultDirectory`: XDG_STATE_HOME, else the home's .local/state).
    public static func standard(environment: [String: String] = LabEnvironment.current) -> CommandHistory {
        CommandHistory(path: ProgressStore.defaultDirectory(environment: environment).appendingPathComponent("history").path)
    }

    /// The lines, oldest first; empty when the file is missing or unreadable (a history is a convenience).
    public func lines() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init).filter { !Self.isTimestamp($0) && !$0.isEmpty }
        return Array(lines.suffix(Self.capacity))
    }

    /// Appends `line` (a multi-line edit is kept as one line) and keeps the newest `capacity` lines.
    /// - Throws: `FileSystemProblem` when the folder or the file cannot be written.
    public func append(_ line: String) throws {
        let flat = line.replacingOccurrences(of: "\n", with: " ")
        guard !flat.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try createFolder(folder, for: Learner.text("the command history", "命令历史"))
        let kept = (lines() + [flat]).suffix(Self.capacity)
        do {
            try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw FileSystemProblem(path: path, found: Learner.text("cannot write the command history (\(error.localizedDescription))",
                                                                    "写不了命令历史（\(error.localizedDescription)）"),
                                    hint: Learner.text("make the folder writable, or set XDG_STATE_HOME to a writable folder.",
                                                       "让这个文件夹可写，或把 XDG_STATE_HOME 设为一个可写的文件夹。"))
        }
    }

    private static func isTimestamp(_ line: String) -> Bool {
        line.count > 1 && line.first == "#" && line.dropFirst().allSatisfy(\.isNumber)
    }
}
