// `lmlab bench …`: how fast this machine runs the lab. The commands here parse and print; the measuring is
// LabBench's (Sources/LabBench): kernels, tokenize and explorers below, decode/prefill/beam in BenchModelCommands.
import ArgumentParser
import Foundation
import Lab
import LabBench
import LabCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast this machine runs the lab (use a release build).",
        subcommands: [BenchKernels.self, BenchTokenize.self, BenchDecode.self, BenchPrefill.self, BenchExplorers.self,
                      BenchBeam.self, BenchEngine.self])

    static func warnIfDebug(_ command: String) {
        if let warning = BenchClock.debugWarning(command) { FileHandleOutput.standardError(warning) }
    }
}

struct BenchKernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Memory bandwidth, bf16 matvec and f32 matmul speed of the lab's kernels.",
        discussion: CommandHelp.benchKernels)

    @OptionGroup var output: JSONOutput

    @OptionGroup var workers: WorkerThreads

    @Option(name: .long, parsing: .unconditional, help: "Timed repetitions per kernel (1…1000); the median is reported.")
    var repetitions: Int = 7

    @Option(name: .customLong("pool-mib"), parsing: .unconditional, help: "MiB streamed per repetition (stream read and matvec pool; 16…65536, and within the machine's memory).")
    var poolMiB: Int = 1024

    func validate() throws {
        try checkRange("--repetitions", repetitions, 1...1000)
        try checkRange("--pool-mib", poolMiB, 16...65536, hint: Learner.text(
            "use --pool-mib 1024 or more, so the data cannot sit in a cache.", "用 --pool-mib 1024 或更大，数据才不会待在缓存里。"))
        try usage { try KernelBenchReport.checkPool(mib: poolMiB) }
    }

    func run() throws {
        Bench.warnIfDebug("kernels")
        let report = KernelBenchReport.measure(threads: workers.count, repetitions: repetitions, poolMiB: poolMiB) { line in
            if !output.json { FileHandleOutput.standardError("… \(line)") }
        }
        print(output.json ? try jsonString(report) : report.text)
    }
}

struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encoding throughput of a SentencePiece model over a text file (use a release build).",
        discussion: CommandHelp.benchTokenize)

    @Option(name: .long, help: "A SentencePiece .model file.")
    var model: String

    @Option(name: .long, help: "A UTF-8 text file; each line is encoded separately.")
    var text: String

    @Option(name: .long, parsing: .unconditional, help: "Timed passes over the text (1…1000); the fastest is reported.")
    var repeats: Int = 5

    @OptionGroup var output: JSONOutput

    func validate() throws {
        try checkRange("--repeats", repeats, 1...1000)
    }

    func run() throws {
        let report = try TokenizeBenchReport.measure(model: model, text: text, repeats: repeats)
        print(output.json ? try report.json() : report.text)
    }
}

struct BenchExplorers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explorers",
        abstract: "Time a sampling-slider change (no model call) and one beam step in the explorers.",
        discussion: CommandHelp.benchExplorers)

    @Option(name: .long, help: "A model folder or a model name (default tiny-ernie).")
    var model = "tiny-ernie"
    @Option(name: .long, help: "The prompt (default: a corpus-style sentence start).")
    var prompt = "One day, Luna went to the"
    @Option(name: .long, parsing: .unconditional, help: "Slider changes to time (1…100000, default 200).")
    var changes = 200
    @Option(name: .long, parsing: .unconditional, help: "Beams (1…16, as the explorer offers; default 4).")
    var beams = 4
    @Option(name: .long, parsing: .unconditional, help: "Beam steps to time (1…1000, default 16; fewer if the search ends).")
    var steps = 16
    @Option(name: .long, help: "Screen size COLSxROWS (40x10…1000x1000, default 80x24).")
    var size = "80x24"
    @OptionGroup var output: JSONOutput

    func validate() throws {
        try checkRange("--changes", changes, 1...100_000)
        try checkRange("--beams", beams, 1...16)
        try checkRange("--steps", steps, 1...1000)
        if ExplorerBenchmark.screenSize(size) == nil {
            throw ValidationError(OptionConflict.screenSize(size))
        }
    }

    func run() throws {
        let (cols, rows) = ExplorerBenchmark.screenSize(size)!
        let report = try ExplorerBenchmark.run(model: model, prompt: prompt, cols: cols, rows: rows, changes: changes,
                                               steps: steps, beams: beams)
        print(output.json ? try jsonString(report) : report.text)
    }
}
