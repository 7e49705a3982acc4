// BenchRunFacts — what every model benchmark (`bench decode`, `bench prefill`, `bench beam`) says about where it
// ran, so two runs can be compared: the checkpoint (path, precision, seeded random or real, written by this run,
// its size), the build, the threads, the CPU, the load average before and after, the prompt and the peak RSS. A `BenchReport` pairs these with
// one benchmark's own figures and prints both as one flat JSON object: the keys are a contract that scripts read
// (scripts/bench_ernie_vs_llamacpp.py), so they stay flat and as written.

import Foundation
import LabCore

/// Where a model benchmark ran, JSON keys as written.
public struct BenchRunFacts: Encodable, Sendable {
    public var model: String
    /// The weight precision (as-stored, bf16, f32, int8, int4).
    public var precision: String
    public var random_checkpoint: Bool
    public var checkpoint_written_this_run: Bool
    public var weight_file_bytes: Int
    public var build: String
    public var threads: Int
    public var cpu: String
    public var load_average_before: [Double]
    public var load_average_after: [Double]
    public var prompt_tokens: Int
    public var peak_rss_mb: Double

    /// Taken when the run has finished: the load average after it and the peak RSS are now's.
    init(setup: ModelBenchSetup, url: URL, builtNow: Bool, loadBefore: [Double], promptTokens: Int) {
        model = url.path
        precision = setup.precision.rawValue
        random_checkpoint = setup.isRandom
        checkpoint_written_this_run = builtNow
        weight_file_bytes = BenchClock.weightFileBytes(url)
        build = BenchClock.build
        threads = labThreadCount
        cpu = BenchClock.cpuModel()
        load_average_before = loadBefore
        load_average_after = BenchClock.loadAverage()
        prompt_tokens = promptTokens
        peak_rss_mb = BenchClock.peakRSSMB()
    }

    /// The first lines of a report: `title` with the threads and build, the CPU and load, the checkpoint.
    func heading(_ title: String) -> [String] {
        ["LMLab \(title) benchmark — \(threads) thread\(threads == 1 ? "" : "s"), \(build) build",
         "CPU: \(cpu) · load average \(BenchClock.format(load: load_average_before)) before, "
             + "\(BenchClock.format(load: load_average_after)) after",
         "model: \(model)\(random_checkpoint ? " (seeded random weights)" : "") · "
             + "\(fixed(Double(weight_file_bytes) / 1e6, 0)) MB of safetensors"]
    }

    /// What the peak RSS line adds when this run also wrote the random checkpoint.
    var peakNote: String {
        checkpoint_written_this_run ? " (includes writing the random checkpoint; re-run for the bench alone)" : ""
    }

    /// The last line of a debug build's report: how to measure for real.
    func releaseHint(_ command: String) -> [String] {
        build == "debug" ? ["(debug build: re-run with `swift run -c release lmlab bench \(command) …`)"] : []
    }
}

/// One benchmark's report: where it ran and its own figures, read as one value (`report.threads`,
/// `report.speedup`) and printed as one flat JSON object.
@dynamicMemberLookup
public struct BenchReport<Figures: Encodable & Sendable>: Encodable, Sendable {
    public var run: BenchRunFacts
    public var figures: Figures

    public subscript<T>(dynamicMember path: KeyPath<BenchRunFacts, T>) -> T { run[keyPath: path] }
    public subscript<T>(dynamicMember path: WritableKeyPath<Figures, T>) -> T {
        get { figures[keyPath: path] }
        set { figures[keyPath: path] = newValue }
    }

    /// The run's keys and the figures' keys side by side in one object (both encode into the same keyed container).
    public func encode(to encoder: Encoder) throws {
        try run.encode(to: encoder)
        try figures.encode(to: encoder)
    }
}
