// ExerciseRunner — builds a learner's exercise file together with its harness and talks to the program line by
// line over pipes, with a deadline: a learner's infinite loop or crash becomes a message, never a hung lab.
// The learner's code only ever runs in that child process: checks and `exercise plug` both go through here.
import Foundation
import Lab
import LabCore

/// A compiled exercise program.
public struct ExerciseBuild: Sendable {
    public let executable: URL
    let folder: URL
    /// The learner's file it was built from (a crash report names its line).
    let source: URL

    /// The Swift compiler for this task's compiles, before LMLAB_SWIFTC and `swiftc` on PATH. A test that needs
    /// another compiler binds it here: setting LMLAB_SWIFTC would reach every compile the process runs meanwhile.
    @TaskLocal public static var compiler: String?

    /// Compiles many (source, harness) pairs, at most one swiftc per core at a time; one result per pair, in order.
    /// The compiler this task builds with: `compiler`, else LMLAB_SWIFTC, else `swiftc` on PATH.
    public static var chosenCompiler: String { compiler ?? LabEnvironment.current["LMLAB_SWIFTC"] ?? "swiftc" }

    /// One swiftc per exercise (the learner files of two exercises cannot share a module: starters and solutions
    /// define the same functions), run side by side — the whole course compiles in the time of a few files.
    public static func compileAll(_ jobs: [(source: URL, harness: URL)]) -> [Result<ExerciseBuild, Error>] {
        let results = ResultBox<Result<ExerciseBuild, Error>>(count: jobs.count)
        // Chosen here: the workers of concurrentPerform do not inherit this task's `compiler`.
        let swiftc = chosenCompiler
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            results.set(i, Result { try compile(source: jobs[i].source, harness: jobs[i].harness, swiftc: swiftc) })
        }
        return results.values.map { $0! }
    }

    /// Compiles `source` (the learner's file) with `harness` (renamed main.swift, so its top-level code runs) and
    /// the shared wire code beside it (harness/wire.swift, when present).
    /// The build folder (a new one under the temporary directory) goes on every way out but success: a compile
    /// error, a compiler that does not start, Ctrl-C — which stops the compiler at once, where it used to finish.
    /// - Throws: `ExerciseError` with the compiler's messages pointing at the learner's file; `CancellationRequested`
    ///   after Ctrl-C.
    public static func compile(source: URL, harness: URL, swiftc: String = chosenCompiler) throws -> ExerciseBuild {
        _ = sweptOnce
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(folderPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try build(source: source, harness: harness, swiftc: swiftc, in: folder)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// A build folder's name before "PID-RANDOM": the PID is the lab that made it.
    static let folderPrefix = "lmlab-exercise-"

    /// Removes the build folders of labs that are gone: a lab killed mid-check (SIGKILL, a closed terminal) never
    /// reached its own cleanup. Only this user's folders (a plain directory, not a link), named by a PID that no
    /// longer runs here, and untouched for an hour — a lab in another PID namespace sharing /tmp (a container) is
    /// not "gone" because its PID is not ours; a compile takes seconds. Anything else in the folder is left alone.
    static func removeOrphanedFolders(in temporary: URL = FileManager.default.temporaryDirectory,
                                      now: Date = Date()) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return }
        for name in names where name.hasPrefix(folderPrefix) {
            guard let pid = pid_t(name.dropFirst(folderPrefix.count).prefix { $0 != "-" }), pid > 0,
                  kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let path = temporary.appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(),
                  now.timeIntervalSince1970 - Double(info.st_mtim.tv_sec) > 3600 else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// The sweep runs once per process, before its first compile (checking the course compiles many at once).
    private static let sweptOnce: Void = removeOrphanedFolders()

    private static func build(source: URL, harness: URL, swiftc: String, in folder: URL) throws -> ExerciseBuild {
        let main = folder.appendingPathComponent("main.swift")
        try FileManager.default.copyItem(at: harness, to: main)
        let executable = folder.appendingPathComponent("exercise")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let wire = harness.deletingLastPathComponent().appendingPathComponent("wire.swift")
        let shared = FileManager.default.fileExists(atPath: wire.path) ? [wire.path] : []
        // -g: a crash's backtrace names the line of the learner's file (ExerciseSession.crashReport).
        process.arguments = [swiftc, "-Onone", "-g", "-module-name", "Exercise", source.path, main.path] + shared
            + ["-o", executable.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch {
            throw ExerciseError(Learner.text(
                "cannot start the Swift compiler (\(swiftc)): \(error.localizedDescription). HINT: put swiftc on PATH, or set LMLAB_SWIFTC to it.",
                "启动不了 Swift 编译器（\(swiftc)）：\(error.localizedDescription)。HINT：把 swiftc 放到 PATH 上，或把 LMLAB_SWIFTC 设为它。"))
        }
        let watchdog = ChildWatchdog(process, seconds: .infinity)
        let text = String(decoding: PipeRead.all(output.fileHandleForReading.fileDescriptor), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        if watchdog.fired == .cancelled {
            try Cancellation.check()
            throw CancellationRequested()
        }
        guard process.terminationStatus == 0 else {
            // Errors only: a warning's block (its excerpt lines too) pushed the errors and the hint below a cell's cut.
            var inWarning = false
            let messages = text.split(separator: "\n").filter { line in
                if line.contains(": error: ") { inWarning = false }          // a note belongs to the one before it
                if line.contains(": warning: ") { inWarning = true }
                return !inWarning && (!(line.contains("main.swift") || line.contains("wire.swift")) || line.contains("error"))
            }.prefix(30).joined(separator: "\n")
            // The compiler speaks English: say in the learner's language how to read it.
            let harness = messages.contains("main.swift")
                ? Learner.text(" An error in main.swift means the harness cannot call your function: keep its name and signature as the starter declares them.",
                               "错误出在 main.swift 时，是测试框架调用不到你的函数：函数名和签名要与初始文件一致。") : ""
            throw ExerciseError(Learner.text("\(source.lastPathComponent) does not compile:\n\(messages)", "\(source.lastPathComponent) 编译不通过：\n\(messages)")
                + Learner.text("\nHINT: each message names a line and column of your file (path:line:column).\(harness) Fix it and check again.",
                               "\nHINT：每条编译器信息都指出你文件里的行和列（路径:行:列）。\(harness)改好后再检查。"))
        }
        return ExerciseBuild(executable: executable, folder: folder, source: source)
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Results written from concurrent iterations, each into its own slot.
private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); values[i] = value; lock.unlock() }
}

/// A running exercise program: send lines, read lines; killed at the deadline or on Ctrl-C.
public final class ExerciseSession {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    /// How much of `buffer` holds no newline (searched already): a long line is scanned once, not once per chunk.
    private var scanned = 0
    /// Set when the program printed a line longer than `longestOther` (`longestAnswer` for RESULT/QUERY); it was stopped.
    private var overflowed = false
    private let errors = Pipe()
    private let errorText = ErrorText()
    private let watchdog: ChildWatchdog
    private let source: URL
    public let seconds: Double

    /// The longest line the lab reads from a learner's program: an answer (RESULT / QUERY: a distribution over
    /// ERNIE-4.5's 103,424 tokens is ~2.4 MB) may take 64 MB; anything else — a print() in the function — 1 MB.
    static let longestAnswer = 64 << 20, longestOther = 1 << 20

    public init(_ build: ExerciseBuild, seconds: Double) throws {
        self.seconds = seconds
        source = build.source
        process.executableURL = build.executable
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        // The runtime's backtrace names the learner's line (crashReport): on by default on Linux, asked for on macOS,
        // never waiting for a debugger.
        // LMLAB_PARENT_PID: the harness ends the program once this lab is gone (wire.swift's labEndWithTheLab).
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["SWIFT_BACKTRACE": "enable=yes,interactive=no", "LMLAB_PARENT_PID": "\(getpid())"]) { _, new in new }
        try process.run()
        watchdog = ChildWatchdog(process, seconds: seconds)
        signal(SIGPIPE, SIG_IGN)   // a program that died must not take the lab with it
        // What the program writes to stderr (a crash's "Fatal error" and backtrace), kept for endReason.
        Thread.detachNewThread { [errors, errorText] in
            while let chunk = PipeRead.chunk(errors.fileHandleForReading.fileDescriptor) { errorText.append(chunk) }
            errorText.ended.signal()
        }
    }

    public func send(_ line: String) {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The next line, or nil when the program ended (crashed, finished, timed out or cancelled).
    public func readLine() -> String? {
        while true {
            if let nl = buffer[(buffer.startIndex + scanned)...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                scanned = 0
                return line
            }
            scanned = buffer.count
            let answer = buffer.starts(with: Array("RESULT ".utf8)) || buffer.starts(with: Array("QUERY ".utf8))
            guard buffer.count <= (answer ? Self.longestAnswer : Self.longestOther) else {     // a print() in a loop
                overflowed = true
                ChildWatchdog.stop(process)
                return nil
            }
            guard let chunk = PipeRead.chunk(output.fileHandleForReading.fileDescriptor) else { return nil }
            buffer.append(contentsOf: chunk)
        }
    }

    /// Why the program stopped talking, for the learner.
    public func endReason() -> String {
        watchdog.cancel()
        if process.isRunning { ChildWatchdog.stop(process) }
        process.waitUntilExit()
        if watchdog.fired == .deadline {
            return Learner.text("your program was stopped after \(Int(seconds)) s (an endless loop?)",
                                "你的程序运行 \(Int(seconds)) 秒后被停止了（死循环？）")
        }
        if Cancellation.isRequested { return Learner.text("cancelled (Ctrl-C)", "已取消（Ctrl-C）") }
        if overflowed {
            return Learner.text("your program printed more than 1 MB without ending a line and was stopped (a print() in a loop?)",
                                "你的程序打印了超过 1 MB 还没换行，被停止了（循环里有 print()？）")
        }
        let status = process.terminationStatus
        switch process.terminationReason {
        case .uncaughtSignal:
            return Learner.text("your program crashed (signal \(status): an index out of range, a force-unwrapped nil, …)",
                                "你的程序崩溃了（信号 \(status)：下标越界、强制解包了 nil……）") + crashReport()
        case .exit:
            return Learner.text("your program exited with status \(status) before answering",
                                "你的程序还没回答就以状态 \(status) 退出了")
        @unknown default: return Learner.text("your program stopped", "你的程序停止了")
        }
    }

    /// What the crash printed, for the learner: Swift's "Fatal error: …" message (fatalError's own text, "Index out
    /// of range") and the first line of their file in the backtrace — "" when the program printed neither.
    func crashReport() -> String {
        _ = errorText.ended.wait(timeout: .now() + 2)       // the reader has all of it once the pipe ends
        var fatal: Substring?, place: String?
        let inFile = " at " + source.path + ":"
        for line in errorText.text.split(separator: "\n") {
            if fatal == nil, let r = line.range(of: "Fatal error: ") { fatal = line[r.upperBound...] }
            if place == nil, let r = line.range(of: inFile) {
                place = source.lastPathComponent + ":" + line[r.upperBound...].prefix { $0.isNumber || $0 == ":" }
            }
        }
        var parts: [String] = []
        if let fatal { parts.append(VisibleText.escapingControls(String(fatal.prefix(200)))) }
        if let place { parts.append(Learner.text("at \(place)", "位置 \(place)")) }
        return parts.isEmpty ? "" : Learner.text(" — ", "——") + parts.joined(separator: Learner.text(", ", "，"))
    }

    public func finish() {
        try? input.fileHandleForWriting.close()
        watchdog.cancel()
        if process.isRunning { ChildWatchdog.stop(process) }
        process.waitUntilExit()
    }
}

/// The first 64 KB a program wrote to stderr, appended from the thread that reads it.
private final class ErrorText: @unchecked Sendable {
    /// Signalled when the program's stderr ended (it exited and the reader has everything).
    let ended = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func append(_ chunk: [UInt8]) {
        lock.lock(); bytes += chunk.prefix(max(0, 65536 - bytes.count)); lock.unlock()
    }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: bytes, as: UTF8.self) }
}

/// Reads from a pipe, retrying a read that a signal interrupted: the REPL's Ctrl-C handler is installed without
/// SA_RESTART (so its prompt wakes up), and FileHandle's readers trap on EINTR — Ctrl-C during a check crashed the
/// REPL ("Interrupted system call" in FileHandle.availableData).
enum PipeRead {
    /// The next bytes, as many as one read gives; nil at the end.
    static func chunk(_ fd: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            return n > 0 ? Array(buffer[0..<n]) : nil
        }
    }

    /// Everything up to the end.
    static func all(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = chunk(fd) { bytes += chunk }
        return bytes
    }
}
