// Supervisor — runs each target's FuzzLoop in a child process (this executable, `child` subcommand), watches it,
// and outlives it.
//
// A child that dies (a signal, a Swift trap, an AddressSanitizer report, which exits non-zero) has its last input
// read from the shared recorder file and saved as <crash-dir>/<target>-<how>-<hash>.bin; the target then
// resumes in a new child with the next seed until its budget is spent. A child whose execution counter stops
// moving for `hangSeconds` is killed and its input saved as a hang; one whose resident memory passes
// `maxMemoryMB` is killed and saved as a memory blow-up. The child's stderr goes to <work-dir>/<target>.stderr.

import Foundation

struct Budget {
    var executions: Int
    var seconds: Double
    var seed: UInt64
    var hangSeconds: Double
    var maxMemoryMB: Int
}

/// One target's progress across its children.
final class TargetRun {
    let name: String
    let recorder: InputRecorder
    var executed = 0
    var seconds = 0.0
    var seed: UInt64
    var children = 0
    /// The last child's full report (the one that ran longest when there were several).
    var stats: FuzzStats?
    var accepted = 0, errors = 0
    /// "<how>: <file>" for every saved crash, hang or memory blow-up.
    var failures: [String] = []
    var process: Process?
    var killedFor: String?
    var lastCount: UInt64 = 0
    var lastProgress = Date()
    var started = Date()

    init(name: String, workDir: URL, seed: UInt64) throws {
        self.name = name
        self.seed = seed
        recorder = try InputRecorder(url: workDir.appendingPathComponent("\(name).current"))
    }
}

struct Supervisor {
    let targets: [String]
    let budget: Budget
    let jobs: Int
    let root: URL
    let workDir: URL
    let crashDir: URL

    func run() throws -> [TargetRun] {
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: crashDir, withIntermediateDirectories: true)
        var pending = try targets.map { try TargetRun(name: $0, workDir: workDir, seed: budget.seed) }
        let all = pending
        var running: [TargetRun] = []
        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, !pending.isEmpty {
                let r = pending.removeFirst()
                try start(r)
                running.append(r)
            }
            Thread.sleep(forTimeInterval: 0.5)
            for r in running {
                guard let p = r.process else { continue }
                if p.isRunning { watch(r, p); continue }
                running.removeAll { $0 === r }
                if try finish(r, p) { pending.insert(r, at: 0) }
            }
        }
        return all
    }

    private func start(_ r: TargetRun) throws {
        r.recorder.executions = 0
        r.lastCount = 0
        r.lastProgress = Date()
        r.started = Date()
        r.killedFor = nil
        r.children += 1
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = ["child", "--target", r.name, "--executions", String(budget.executions - r.executed),
                       "--seconds", String(max(1, budget.seconds - r.seconds)), "--seed", String(r.seed),
                       "--root", root.path, "--work-dir", workDir.path, "--crash-dir", crashDir.path]
        let errURL = workDir.appendingPathComponent("\(r.name).stderr")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        r.process = p
        print("[\(r.name)] child \(r.children) started (pid \(p.processIdentifier), seed \(r.seed), "
              + "\(budget.executions - r.executed) executions, \(Int(budget.seconds - r.seconds)) s left)")
    }

    /// Kills a child that stopped making progress or grew too large.
    private func watch(_ r: TargetRun, _ p: Process) {
        let count = r.recorder.executions
        if count != r.lastCount { r.lastCount = count; r.lastProgress = Date() }
        var reason: String?
        if Date().timeIntervalSince(r.lastProgress) > budget.hangSeconds { reason = "hang" }
        if let rss = residentMB(p.processIdentifier), rss > budget.maxMemoryMB { reason = "memory" }
        if let reason, r.killedFor == nil {
            r.killedFor = reason
            kill(p.processIdentifier, SIGKILL)
        }
    }

    /// Accounts for a finished child; true when the target should resume in a new child.
    private func finish(_ r: TargetRun, _ p: Process) throws -> Bool {
        let statsURL = workDir.appendingPathComponent("\(r.name).stats.json")
        let stats = (try? Data(contentsOf: statsURL)).flatMap { try? JSONDecoder().decode(FuzzStats.self, from: $0) }
        let executed = Int(r.recorder.executions)
        r.executed += executed
        r.seconds += Date().timeIntervalSince(r.started)
        if let stats, stats.seed == r.seed {
            r.accepted += stats.accepted
            r.errors += stats.errors
            if r.stats == nil || stats.executions > r.stats!.executions { r.stats = stats }
        }
        let clean = p.terminationReason == .exit && p.terminationStatus == 0 && r.killedFor == nil
        if clean { return false }
        let how = r.killedFor ?? (p.terminationReason == .uncaughtSignal ? "signal\(p.terminationStatus)" : "exit\(p.terminationStatus)")
        let input = r.recorder.input
        let file = try saveInput(input, target: r.name, how: how, in: crashDir)
        r.failures.append("\(how): \(file.path)")
        let errText = (try? String(contentsOf: workDir.appendingPathComponent("\(r.name).stderr"), encoding: .utf8)) ?? ""
        print("[\(r.name)] child \(r.children) ended by \(how) after \(executed) executions; input saved to \(file.path)")
        for line in errText.split(separator: "\n").suffix(25) { print("    | \(line)") }
        r.seed &+= 1
        return r.executed < budget.executions && r.seconds < budget.seconds && r.children < 50
    }

    /// The child's resident set size in MB (Linux /proc); nil elsewhere.
    private func residentMB(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) >> 20
    }
}
