// `lmlab bench explorers`: how fast the two live explorers answer a key, measured the way the notebook handles one —
// the page's `handle(key)` then a full `draw` of an 80×24 screen (an in-memory screen: ncurses' own diff-and-write
// of the changed cells comes on top, well under a millisecond for 24 rows).
//
//   sampling  ←/→ temperature changes: the processors re-run on the stored log-probs; the model is not called
//             (counted by ExplorerModel: any call fails the claim and is printed);
//   beam      space = one beam-search step on the model (all beams in one batched call), until the search ends.
import ArgumentParser
import Foundation
import Lab
import TerminalUI

struct BenchExplorers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explorers",
        abstract: "Time a sampling-slider change (no model call) and one beam step in the explorers.",
        discussion: """
        Each sample is one key handled by the explorer page plus one full redraw, as in the notebook. Use a release \
        build; the issue's targets are ≤ 30 ms per slider change and ≤ 50 ms per beam step on the tiny ERNIE.

        Examples:
          swift run -c release lmlab bench explorers
          swift run -c release lmlab bench explorers --model tiny-ernie --beams 4 --steps 16 --json
        """)

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
    @Flag(name: .long, help: "Print JSON.")
    var json = false

    struct Timing: Encodable {
        let count: Int
        let median_ms: Double
        let p90_ms: Double
        let max_ms: Double
        init(_ ms: [Double]) {
            let s = ms.sorted()
            count = s.count
            median_ms = s.isEmpty ? 0 : BenchClock.median(s)
            p90_ms = s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * 0.9))]
            max_ms = s.last ?? 0
        }
    }

    struct Report: Encodable {
        let build: String
        let model: String
        let screen: String
        let slider: Timing
        let slider_model_calls: Int
        let beam_step: Timing
        let beams: Int
    }

    func validate() throws {
        try checkRange("--changes", changes, 1...100_000)
        try checkRange("--beams", beams, 1...16)
        try checkRange("--steps", steps, 1...1000)
        if screenSize == nil { throw ValidationError("--size \(size): write COLSxROWS, e.g. 80x24 (40x10…1000x1000).") }
    }

    var screenSize: (cols: Int, rows: Int)? {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (40...1000).contains(parts[0]), (10...1000).contains(parts[1]) else { return nil }
        return (parts[0], parts[1])
    }

    /// Milliseconds `body` takes.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let t0 = BenchClock.now()
        try body()
        return 1000 * BenchClock.seconds(since: t0)
    }

    func run() throws {
        let (cols, rows) = screenSize!
        let screen = MemoryScreen(rows: rows, cols: cols)

        // Sampling explorer: T up ten times, down ten times, …
        let explorer = try SampleCommand.parse([prompt, "--model", model]).explorer()
        let sampling = SamplingExplorerPage(explorer: explorer)
        sampling.draw(on: screen)
        let callsBefore = explorer.model.calls
        var slider: [Double] = []
        for i in 0..<changes {
            let key: Key = (i / 10) % 2 == 0 ? .right : .left
            slider.append(Self.time { _ = sampling.handle(key); sampling.draw(on: screen) })
        }
        let sliderCalls = explorer.model.calls - callsBefore

        // Beam explorer: space until the search ends or `steps` steps.
        let beamExplorer = try BeamCommand.parse([prompt, "--model", model, "--beams", "\(beams)", "--steps", "\(steps)"]).explorer()
        let beam = BeamExplorerPage(explorer: beamExplorer)
        beam.draw(on: screen)
        var stepTimes: [Double] = []
        while !beamExplorer.isDone && stepTimes.count < steps {
            stepTimes.append(Self.time { _ = beam.handle(.char(" ")); beam.draw(on: screen) })
            if let message = beam.message { throw ValidationError("beam step failed: \(message)") }
        }

        let build = BenchClock.build
        let report = Report(build: build, model: model, screen: "\(cols)x\(rows)", slider: Timing(slider),
                            slider_model_calls: sliderCalls, beam_step: Timing(stepTimes), beams: beams)
        if json { print(try jsonString(report)); return }
        func line(_ name: String, _ t: Timing, _ target: Double) -> String {
            String(format: "%@ %4d × · median %6.2f ms · p90 %6.2f ms · max %6.2f ms  (target ≤ %.0f ms: %@)",
                   name, t.count, t.median_ms, t.p90_ms, t.max_ms, target, t.median_ms <= target ? "met" : "NOT met")
        }
        print("LMLab explorers benchmark — \(model), \(cols)×\(rows) screen, \(build) build")
        print(line("slider change (key + redraw)", report.slider, 30))
        print("  model calls during the slider changes: \(sliderCalls)" + (sliderCalls == 0 ? " (the bars come from stored log-probs)" : " — the slider should not call the model"))
        print(line("beam step, \(beams) beams      ", report.beam_step, 50))
        if build == "debug" { print("(debug build: re-run with `swift run -c release lmlab bench explorers`)") }
    }
}
