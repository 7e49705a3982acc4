// lmlab-fuzz — a structure-aware mutation fuzzer for the parsers that read files from strangers (issue 17).
//
//   lmlab-fuzz run [--target all|safetensors,tokenizer,config,lesson,api] [--executions N] [--seconds S] [--seed X]
//   lmlab-fuzz replay --target T FILE…      run saved inputs once each and print what the parser said
//
// scripts/fuzz.sh builds it (release, optionally with AddressSanitizer) and runs it; docs/RELIABILITY.md records
// the results. Deterministic: the same seed and budget give the same inputs (time budgets aside).

import ArgumentParser
import Foundation

struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lmlab-fuzz",
        abstract: "Fuzz LMLab's parsers: safetensors, tokenizer.model, config.json, lesson Markdown, API answers.",
        subcommands: [Run.self, Child.self, Replay.self],
        defaultSubcommand: Run.self)
}

/// Where the seeds come from and where a target's working files go: `run`, `child` and `replay`.
struct Places: ParsableArguments {
    @Option(help: "The LMLab checkout whose Models/, Tests/ and Lessons/ give the seeds.")
    var root = FileManager.default.currentDirectoryPath
    @Option(help: "Where the recorder files, stats, child logs and the safetensors target's input file go.")
    var workDir = ".build/fuzz"

    /// The folders as absolute URLs (relative paths are taken from the current directory).
    var rootURL: URL { Self.absolute(root) }
    var workURL: URL { Self.absolute(workDir) }

    static func absolute(_ path: String) -> URL {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}

/// Options shared by `run` and `child`.
struct Common: ParsableArguments {
    @OptionGroup var places: Places
    @Option(help: "Where crashing, hanging and contract-breaking inputs are saved.")
    var crashDir = ".build/fuzz/crashes"
    @Option(help: "Executions per target.")
    var executions = 1_000_000
    @Option(help: "Time budget per target, in seconds.")
    var seconds = 600.0
    @Option(help: "Seed of the mutation RNG (SeededRNG).")
    var seed: UInt64 = 17

    func validate() throws {
        guard executions > 0 else { throw ValidationError("--executions must be at least 1, not \(executions).") }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be a positive number of seconds, not \(seconds).") }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fuzz the targets, each in its own child process, and print the statistics.")
    @OptionGroup var common: Common
    @Option(help: "Comma-separated targets (\(FuzzTarget.names.joined(separator: ", "))) or all.")
    var target = "all"
    @Option(help: "Targets fuzzed at the same time.")
    var jobs = 1
    @Option(help: "Seconds without a finished execution before a child counts as hung.")
    var hangSeconds = 60.0
    @Option(help: "Resident memory (MB) beyond which a child counts as a memory blow-up.")
    var maxMemoryMB = 3072

    func validate() throws {
        for t in targets where !FuzzTarget.names.contains(t) {
            throw ValidationError("unknown target \"\(t)\"; use \(FuzzTarget.names.joined(separator: ", ")) or all.")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs).") }
    }

    var targets: [String] {
        target == "all" ? FuzzTarget.names : target.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    func run() throws {
        let supervisor = Supervisor(
            targets: targets,
            budget: Budget(executions: common.executions, seconds: common.seconds, seed: common.seed,
                           hangSeconds: hangSeconds, maxMemoryMB: maxMemoryMB),
            jobs: jobs, root: common.places.rootURL, workDir: common.places.workURL,
            crashDir: Places.absolute(common.crashDir))
        let runs = try supervisor.run()
        let failed = Report.print(runs)
        if failed { throw ExitCode.failure }
    }
}

struct Child: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one target's loop (started by `run`).", shouldDisplay: false)
    @OptionGroup var common: Common
    @Option var target: String

    func run() throws {
        let work = common.places.workURL
        let loop = FuzzLoop(target: try FuzzTarget.make(target, root: common.places.rootURL, workDir: work),
                            recorder: try InputRecorder(url: work.appendingPathComponent("\(target).current")),
                            statsURL: work.appendingPathComponent("\(target).stats.json"),
                            crashDir: URL(fileURLWithPath: common.crashDir))
        _ = try loop.run(executions: common.executions, seconds: common.seconds, seed: common.seed)
    }
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run saved inputs through one target's parser and print the result.")
    @Option(help: "The parser: \(FuzzTarget.names.joined(separator: ", ")).")
    var target: String
    @OptionGroup var places: Places
    @Argument(help: "Saved inputs (<crash-dir>/<target>-<how>-<hash>.bin).")
    var files: [String]

    func run() throws {
        let work = places.workURL
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let t = try FuzzTarget.make(target, root: places.rootURL, workDir: work)
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file); pass the path of a saved input.")
            }
            print("\(file) (\(data.count) bytes):")
            for _ in 0..<t.replayRuns {
                let messages = t.execute(Array(data))
                print(messages.isEmpty ? "  accepted" : messages.map { "  " + $0 }.joined(separator: "\n"))
            }
        }
    }
}

enum Report {
    /// Prints the table and the lists; true when anything crashed, hung, blew up or broke a contract.
    static func print(_ runs: [TargetRun]) -> Bool {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        Swift.print("\n" + ["target", "executions", "seconds", "exec/s", "accepted", "errors", "distinct", "no HINT",
                            "contract", "crashes"].enumerated().map { pad($0.element, $0.offset == 0 ? 12 : 11) }.joined())
        var failed = false
        for r in runs {
            let s = r.stats
            let row = [r.name, String(r.executed), String(format: "%.0f", r.seconds),
                       String(format: "%.0f", Double(r.executed) / max(r.seconds, 0.001)), String(r.accepted), String(r.errors),
                       String(s?.distinctErrors ?? 0), String(s?.withoutHint.count ?? 0), String(s?.contractViolations.count ?? 0),
                       String(r.failures.count)]
            Swift.print(row.enumerated().map { pad($0.element, $0.offset == 0 ? 12 : 11) }.joined())
            failed = failed || !r.failures.isEmpty || !(s?.contractViolations.isEmpty ?? true)
        }
        for r in runs {
            guard let s = r.stats else { continue }
            Swift.print("\n[\(r.name)] sample errors:")
            for m in s.sampleErrors.prefix(6) { Swift.print("  - " + m) }
            if !s.withoutHint.isEmpty { Swift.print("[\(r.name)] messages without a HINT:"); s.withoutHint.forEach { Swift.print("  - " + $0) } }
            if !s.contractViolations.isEmpty { Swift.print("[\(r.name)] contract violations:"); s.contractViolations.forEach { Swift.print("  - " + $0) } }
            for f in r.failures { Swift.print("[\(r.name)] FAILURE \(f)") }
        }
        return failed
    }
}

setvbuf(stdout, nil, _IOLBF, 0)                // progress lines reach a piped log (fuzz.sh tees) as they happen
FuzzCommand.main()
