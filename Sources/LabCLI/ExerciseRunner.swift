// ExerciseRunner — builds a learner's exercise file together with its harness and talks to the program line by
// line over pipes, with a deadline: a learner's infinite loop or crash becomes a message, never a hung lab.
import Foundation
import Lab
import LabCore

/// A compiled exercise program.
struct ExerciseBuild {
    let executable: URL
    let folder: URL

    /// Compiles `source` (the learner's file) with `harness` (renamed main.swift, so its top-level code runs).
    /// - Throws: `ExerciseError` with the compiler's messages pointing at the learner's file.
    static func compile(source: URL, harness: URL) throws -> ExerciseBuild {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("lmlab-exercise-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let main = folder.appendingPathComponent("main.swift")
        try FileManager.default.copyItem(at: harness, to: main)
        let executable = folder.appendingPathComponent("exercise")
        let swiftc = ProcessInfo.processInfo.environment["LMLAB_SWIFTC"] ?? "swiftc"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [swiftc, "-Onone", "-module-name", "Exercise", source.path, main.path, "-o", executable.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch {
            throw ExerciseError("cannot start the Swift compiler (\(swiftc)): \(error.localizedDescription). HINT: put swiftc on PATH, or set LMLAB_SWIFTC to it.")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: folder)
            let messages = text.split(separator: "\n").filter { !$0.contains("main.swift") || $0.contains("error") }
                .prefix(30).joined(separator: "\n")
            throw ExerciseError("\(source.lastPathComponent) does not compile:\n\(messages)")
        }
        return ExerciseBuild(executable: executable, folder: folder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// A running exercise program: send lines, read lines; killed at the deadline or on Ctrl-C.
final class ExerciseSession {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    private let watchdog: DispatchSourceTimer
    private(set) var timedOut = false
    let seconds: Double

    init(_ build: ExerciseBuild, seconds: Double) throws {
        self.seconds = seconds
        process.executableURL = build.executable
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let start = DispatchTime.now()
        watchdog = DispatchSource.makeTimerSource(queue: .global())
        watchdog.schedule(deadline: .now() + 0.1, repeating: 0.1)
        watchdog.setEventHandler { [process] in
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            if (elapsed > seconds || Cancellation.isRequested) && process.isRunning {
                if elapsed > seconds { self.timedOut = true }
                process.terminate()
            }
        }
        watchdog.resume()
        signal(SIGPIPE, SIG_IGN)   // a program that died must not take the lab with it
    }

    func send(_ line: String) {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The next line, or nil when the program ended (crashed, finished, timed out or cancelled).
    func readLine() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// Why the program stopped talking, for the learner.
    func endReason() -> String {
        watchdog.cancel()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        if timedOut { return "your program was stopped after \(Int(seconds)) s (an endless loop?)" }
        if Cancellation.isRequested { return "cancelled (Ctrl-C)" }
        switch process.terminationReason {
        case .uncaughtSignal: return "your program crashed (signal \(process.terminationStatus): an index out of range, a force-unwrapped nil, …)"
        case .exit: return "your program exited with status \(process.terminationStatus) before answering"
        @unknown default: return "your program stopped"
        }
    }

    func finish() {
        try? input.fileHandleForWriting.close()
        watchdog.cancel()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
