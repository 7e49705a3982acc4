// ChildProcess — a program started from a test as a shell would start it: descriptors 0, 1 and 2 as the test says,
// every other descriptor closed, an empty signal mask and default signal dispositions. posix_spawn, not Foundation's
// Process: a child that forks a server (tmux) would inherit Process's exit-watching descriptor and make
// waitUntilExit hang; and the test threads block SIGHUP and SIGTERM, which a child would otherwise inherit and then
// never end. Used by the tmux end-to-end tests, by the `lmlab serve` the Serve tests talk to, and by LabRun (every
// other test that runs lmlab).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum ChildProcess {
    /// Where one of the child's standard descriptors goes.
    public enum Stream {
        case devNull
        /// A file, created or truncated (for 1 and 2; read for 0).
        case file(String)
        /// A descriptor of this process (a pipe's end), duplicated onto the child's.
        case descriptor(Int32)
    }

    /// Starts `argv` (argv[0] an absolute path) and returns its pid, or the errno of posix_spawn.
    /// - Parameters:
    ///   - blocking: signals the child starts with blocked (as a parent's threads may pass on); none by default.
    ///   - environment: the child's whole environment; nil: this process's.
    ///   - directory: the child's working directory; nil: this process's. `.file` paths are opened before the change.
    public static func spawn(_ argv: [String], stdin: Stream = .devNull, stdout: Stream = .devNull,
                             stderr: Stream = .devNull, blocking: [Int32] = [], environment: [String: String]? = nil,
                             directory: String? = nil) -> Result<pid_t, POSIXError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .devNull: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, fd, path, fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .descriptor(let own): posix_spawn_file_actions_adddup2(&actions, own, fd)
            }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? Array(3..<256)
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        if let directory {
            guard let chdir = addChdir else { return .failure(POSIXError(.ENOSYS)) }
            let status = chdir(&actions, directory)
            if status != 0 { return .failure(POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL)) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t(), all = sigset_t()
        sigemptyset(&mask)
        for s in blocking { sigaddset(&mask, s) }
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var cEnvironment = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for e in cEnvironment ?? [] { free(e) } }
        var pid: pid_t = 0
        var status: Int32 = 0
        // A loaded machine can refuse a spawn for a moment (a full CI run once did, with every test running): try
        // again a few times before calling it a failure, which then names the error.
        for attempt in 0..<5 {
            status = cEnvironment == nil ? posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, environ)
                : posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, &cEnvironment!)
            if status == 0 { return .success(pid) }
            if attempt < 4 { usleep(200_000) }
        }
        return .failure(POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO))
    }

    /// posix_spawn_file_actions_addchdir_np (glibc 2.29, macOS 10.15): Swift's Glibc module leaves it out (glibc
    /// declares it for _GNU_SOURCE only), so it is looked up by name.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir: AddChdir? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }   // nil: RTLD_DEFAULT
        return unsafeBitCast(symbol, to: AddChdir.self)
        #else
        return { posix_spawn_file_actions_addchdir_np($0, $1) }
        #endif
    }()

    /// Runs `argv` to its end and returns its wait status (nil when it could not start, or did not end within
    /// `deadline` seconds: then it is killed, and that is printed, naming it).
    @discardableResult
    public static func run(_ argv: [String], stdout: Stream = .devNull, deadline: TimeInterval = 120) -> Int32? {
        guard case .success(let pid) = spawn(argv, stdout: stdout) else { return nil }
        var status: Int32 = 0
        let end = Date().addingTimeInterval(deadline)
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return status }
            if reaped < 0 && errno != EINTR { return nil }
            guard Date() < end else {
                killAndReap(pid)
                print("ChildProcess: `\(argv.joined(separator: " "))` did not end within \(String(format: "%g", deadline)) s, so it was killed (SIGKILL)")
                return nil
            }
            usleep(5_000)
        }
    }

    /// Kills a child past its deadline (SIGKILL) and reaps it, so no zombie and no running lmlab is left behind.
    public static func killAndReap(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Runs `argv` to its end (at most `deadline` seconds, as `run`); returns what it wrote to standard output
    /// (nothing if it could not start).
    public static func output(_ argv: [String], deadline: TimeInterval = 120) -> String {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-child-out-\(UUID().uuidString)").path
        defer { unlink(outPath) }
        guard run(argv, stdout: .file(outPath), deadline: deadline) != nil else { return "" }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }
}
