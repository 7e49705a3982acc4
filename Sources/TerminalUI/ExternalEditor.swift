// ExternalEditor — the learner's own editor ($EDITOR) on a file, with the terminal handed over for as long as it
// runs: the app leaves curses (TerminalHandover), the editor runs through /bin/sh on /dev/tty (so "code -w" or
// "vim -u NONE" work as in a shell), and the app takes the terminal back and repaints every cell.

import Foundation
import LabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A screen that can give the terminal to another program for a while (CursesScreen; MemoryScreen has no terminal).
public protocol TerminalHandover: AnyObject {
    /// Leaves curses, runs `body`, restores curses and marks every cell for a repaint.
    func handOver(_ body: () -> Void)
}

public enum ExternalEditor {
    /// `$EDITOR`, when set and not blank.
    public static func command(environment: [String: String] = LabEnvironment.current) -> String? {
        guard let e = environment["EDITOR"]?.trimmingCharacters(in: .whitespaces), !e.isEmpty else { return nil }
        return e
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `command "file"` with /bin/sh on the terminal (/dev/tty as its standard input, output and error) and
    /// waits for it. Ctrl-C belongs to the editor meanwhile: the lab ignores SIGINT until it returns.
    /// - Throws: `Failure` naming the command and the fix when it cannot start, is killed, or exits non-zero.
    public static func run(_ command: String, file: URL) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/tty", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/tty", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/tty", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        // "$0" is the command as the learner wrote it; the file is its one argument.
        let argv = ["/bin/sh", "-c", "\(command) \"$1\"", "lmlab-editor", file.path]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        let previous = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previous) }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArgs, environ)
        guard spawned == 0 else {
            let reason = String(cString: strerror(spawned))
            throw Failure(description: Learner.text(
                "cannot start the editor `\(command)`: \(reason). HINT: set EDITOR to an editor on PATH, e.g. export EDITOR=nano.",
                "启动不了编辑器 `\(command)`：\(reason)。HINT：把 EDITOR 设为 PATH 上的编辑器，例如 export EDITOR=nano。"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status >> 8) & 0xff, signalled = status & 0x7f
        if signalled != 0 {
            throw Failure(description: Learner.text(
                "the editor `\(command)` was stopped by signal \(signalled). HINT: save the file and quit the editor normally.",
                "编辑器 `\(command)` 被信号 \(signalled) 停止了。HINT：保存文件，正常退出编辑器。"))
        }
        if code != 0 {
            throw Failure(description: Learner.text(
                "the editor `\(command)` exited with status \(code)\(code == 127 ? " (command not found)" : ""). "
                    + "HINT: set EDITOR to an editor on PATH, e.g. export EDITOR=nano.",
                "编辑器 `\(command)` 以状态 \(code) 退出\(code == 127 ? "（找不到命令）" : "")。"
                    + "HINT：把 EDITOR 设为 PATH 上的编辑器，例如 export EDITOR=nano。"))
        }
    }
}
