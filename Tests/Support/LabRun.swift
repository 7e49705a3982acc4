// LabRun — the one way a test runs a program (the built lmlab, mostly) and reads what it said, with a deadline.
// The test's own hand-made Foundation `Process` runners read a pipe to its end with no deadline, so a hung lmlab (or
// one stalled on a pipe nobody drained) hung the whole CI run until its 90-minute limit, naming no test. Here:
// - the child is started by ChildProcess.spawn (posix_spawn: only descriptors 0, 1, 2, an empty signal mask unless the
//   test blocks some; see ChildProcess.swift for why not Foundation's Process);
// - its stdout and stderr are pipes that one thread of ours drains all along (poll), so no pipe fills up and stalls it;
// - its stdin is /dev/null, or a pipe a thread of ours writes `input` into and then closes (that thread blocks
//   SIGPIPE, so a child that never reads its stdin gets EPIPE, not the test process a SIGPIPE);
// - past its deadline it is killed (SIGKILL) and reaped, and `finish` throws LabRunTimeout, which names the command,
//   the deadline and what it had said: the test fails saying so instead of hanging.
// `LabRun.run` runs to the end; `LabChild.start` hands back the running child for tests that read its output as it
// comes, signal it mid-run (Ctrl-C, SIGTERM) and then `finish` it.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a program ended, and what it wrote.
public struct LabRun: Sendable, CustomStringConvertible {
    public enum Ending: Equatable, Sendable, CustomStringConvertible {
        case exit(Int32)
        case signal(Int32)
        public var description: String {
            switch self {
            case .exit(let code): return "exit \(code)"
            case .signal(let number): return "signal \(number)"
            }
        }
    }

    public let command: String
    public let ending: Ending
    public let stdout: String
    public let stderr: String

    /// The exit code; nil when a signal ended it.
    public var exitCode: Int32? { if case .exit(let code) = ending { return code } else { return nil } }
    /// The signal that ended it; nil when it exited.
    public var signal: Int32? { if case .signal(let number) = ending { return number } else { return nil } }
    public var description: String { "`\(command)` ended with \(ending); stderr: \(stderr)" }

    /// Runs `argv` (argv[0] an absolute path) to its end; throws LabRunTimeout (after killing it) past `deadline`
    /// seconds, LabRunCannotStart when it cannot start. The other parameters are LabChild.start's.
    public static func run(_ argv: [String], input: ChildInput? = nil, environment: [String: String] = [:],
                           removing: [String] = [], inheritEnvironment: Bool = true, directory: String? = nil,
                           blocking: [Int32] = [], deadline: TimeInterval = 120) throws -> LabRun {
        try LabChild.start(argv, input: input, environment: environment, removing: removing, inheritEnvironment: inheritEnvironment,
                           directory: directory, blocking: blocking, deadline: deadline).finish()
    }
}

/// What a test gives a program on its stdin: text (a string literal will do) or bytes.
public struct ChildInput: ExpressibleByStringInterpolation, Sendable {
    public let bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { bytes = Array(text.utf8) }
    public init(stringLiteral text: String) { self.init(text) }
}

/// A program that did not end within its deadline: it was killed (SIGKILL) and reaped.
public struct LabRunTimeout: Error, CustomStringConvertible {
    public let command: String
    public let deadline: TimeInterval
    public let stdout: String
    public let stderr: String
    public var description: String {
        "`\(command)` did not end within \(String(format: "%g", deadline)) s, so it was killed (SIGKILL). Its stderr so far: \"\(stderr.suffix(2000))\"; "
            + "its stdout so far: \"\(stdout.suffix(2000))\""
    }
}

/// A program that could not be started.
public struct LabRunCannotStart: Error, CustomStringConvertible {
    public let command: String
    public let reason: String
    public var description: String { "cannot start `\(command)`: \(reason)" }
}

/// A started program: its pid, what it has written so far, and its end.
public final class LabChild: @unchecked Sendable {
    public let pid: pid_t
    public let command: String
    /// Seconds from the start after which `finish` kills it.
    public let deadline: TimeInterval
    private let started = Date()
    private let output: Drain
    private let lock = NSLock()
    private var ended: LabRun.Ending?

    /// Starts `argv` (argv[0] an absolute path).
    /// - Parameters:
    ///   - input: written to its stdin, which is then closed; nil: stdin is /dev/null.
    ///   - environment: variables set on top of this process's environment (or of none: `inheritEnvironment` false).
    ///   - removing: variables taken out of the inherited environment.
    ///   - directory: its working directory; nil: this process's.
    ///   - blocking: signals it starts with blocked (as ChildProcess.spawn); none by default.
    ///   - deadline: seconds from now after which `finish` kills it and throws.
    public static func start(_ argv: [String], input: ChildInput? = nil, environment: [String: String] = [:],
                             removing: [String] = [], inheritEnvironment: Bool = true, directory: String? = nil,
                             blocking: [Int32] = [], deadline: TimeInterval = 120) throws -> LabChild {
        var variables = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        for name in removing { variables[name] = nil }
        variables.merge(environment) { $1 }
        return try LabChild(argv, input: input, environment: variables, directory: directory, blocking: blocking, deadline: deadline)
    }

    private init(_ argv: [String], input: ChildInput?, environment: [String: String], directory: String?,
                 blocking: [Int32], deadline: TimeInterval) throws {
        let command = ([URL(fileURLWithPath: argv[0]).lastPathComponent] + argv.dropFirst())
            .map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
        self.command = command
        self.deadline = deadline
        let out = try Self.makePipe(command), err = try Self.makePipe(command)
        let stdin = try input.map { _ in try Self.makePipe(command) }
        let spawned = ChildProcess.spawn(argv, stdin: stdin.map { .descriptor($0.read) } ?? .devNull,
                                         stdout: .descriptor(out.write), stderr: .descriptor(err.write),
                                         blocking: blocking, environment: environment, directory: directory)
        for fd in [out.write, err.write] + (stdin.map { [$0.read] } ?? []) { close(fd) }
        switch spawned {
        case .success(let pid): self.pid = pid
        case .failure(let error):
            for fd in [out.read, err.read] + (stdin.map { [$0.write] } ?? []) { close(fd) }
            throw LabRunCannotStart(command: command, reason: "\(error.code) (\(error.localizedDescription))")
        }
        output = Drain(out: out.read, err: err.read)
        if let stdin, let input { Self.feed(input.bytes, to: stdin.write) }
    }

    deinit {                                    // a test that threw half-way leaves no lmlab running behind it
        if ended == nil { ChildProcess.killAndReap(pid) }
        output.stop()
    }

    /// What it has written to stdout so far.
    public var stdout: String { output.text(stderr: false) }
    /// What it has written to stderr so far.
    public var stderr: String { output.text(stderr: true) }

    /// Whether it has ended (reaped here; its ending is kept for `finish`).
    public var hasEnded: Bool {
        lock.lock(); defer { lock.unlock() }
        if ended != nil { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        ended = (status & 0x7f) == 0 ? .exit((status >> 8) & 0xff) : .signal(status & 0x7f)
        return true
    }

    /// Sends `signal` to it, unless it has ended (its pid may be another process's by then).
    public func send(_ signal: Int32) {
        if !hasEnded { kill(pid, signal) }
    }

    /// Waits until `condition` holds (true), or `seconds` pass, or it has ended and said all it will (false unless the
    /// condition then holds).
    public func wait(upTo seconds: TimeInterval, until condition: (LabChild) -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition(self) { return true }
            if hasEnded && output.waitForEnd(seconds: 2) { return condition(self) }
            usleep(20_000)
        }
        return condition(self)
    }

    /// Waits for its end: by the deadline given at the start, or `seconds` from now. Past it, kills it and throws
    /// LabRunTimeout.
    public func finish(within seconds: TimeInterval? = nil) throws -> LabRun {
        let end = seconds.map { Date().addingTimeInterval($0) } ?? started.addingTimeInterval(deadline)
        while !hasEnded && Date() < end { usleep(10_000) }
        if !hasEnded {
            ChildProcess.killAndReap(pid)
            lock.lock(); ended = .signal(SIGKILL); lock.unlock()
            _ = output.waitForEnd(seconds: 2)
            output.stop()
            throw LabRunTimeout(command: command, deadline: seconds ?? deadline, stdout: stdout, stderr: stderr)
        }
        // A program it started may still hold the pipes open (and never end): its output is taken as it stands then.
        _ = output.waitForEnd(seconds: 5)
        output.stop()
        lock.lock(); defer { lock.unlock() }
        return LabRun(command: command, ending: ended!, stdout: output.text(stderr: false), stderr: output.text(stderr: true))
    }

    /// A pipe whose two ends close on exec (the child gets its end by dup2, which clears the flag on its copy).
    private static func makePipe(_ command: String) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LabRunCannotStart(command: command, reason: "pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Writes `bytes` to `fd` on a thread of its own that blocks SIGPIPE, then closes it.
    private static func feed(_ bytes: [UInt8], to fd: Int32) {
        Thread {
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)   // a pending SIGPIPE goes with this thread
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n > 0 { sent += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
            close(fd)
        }.start()
    }
}

/// The child's stdout and stderr, read by one thread as they come until both end or `stop`.
private final class Drain: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)
    private var finished = false

    init(out outFD: Int32, err errFD: Int32) {
        Thread { [self] in
            var fds = [pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)]
            var buffer = [UInt8](repeating: 0, count: 65536)
            while fds.contains(where: { $0.fd >= 0 }) && !isStopping {
                guard poll(&fds, nfds_t(fds.count), 50) > 0 else { continue }
                for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                    let n = read(fds[i].fd, &buffer, buffer.count)
                    if n > 0 {
                        lock.lock()
                        if i == 0 { out.append(contentsOf: buffer[..<n]) } else { err.append(contentsOf: buffer[..<n]) }
                        lock.unlock()
                    } else if n == 0 || errno != EINTR && errno != EAGAIN {
                        close(fds[i].fd)
                        fds[i].fd = -1
                    }
                }
            }
            for f in fds where f.fd >= 0 { close(f.fd) }
            done.signal()
        }.start()
    }

    private var isStopping: Bool { lock.lock(); defer { lock.unlock() }; return stopping }

    func text(stderr: Bool) -> String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: stderr ? err : out, as: UTF8.self)
    }

    /// Whether both ended within `seconds`.
    func waitForEnd(seconds: TimeInterval) -> Bool {
        lock.lock()
        if finished { lock.unlock(); return true }
        lock.unlock()
        guard done.wait(timeout: .now() + seconds) == .success else { return false }
        lock.lock(); finished = true; lock.unlock()
        return true
    }

    /// Stops reading (the thread ends within 50 ms) and waits for that.
    func stop() {
        lock.lock(); stopping = true; lock.unlock()
        _ = waitForEnd(seconds: 1)
    }
}
