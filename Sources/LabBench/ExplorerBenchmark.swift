// ExplorerBenchmark — `lmlab bench explorers`: how fast the two live explorers answer a key, measured the way the
// notebook handles one — the page's `handle(key)` then a full `draw` of the screen (an in-memory screen: ncurses'
// own diff-and-write of the changed cells comes on top, well under a millisecond for 24 rows).
//
//   sampling  ←/→ temperature changes: the processors re-run on the stored log-probs; the model is not called
//             (counted by ExplorerModel: any call fails the claim and is printed);
//   beam      space = one beam-search step on the model (all beams in one batched call), until the search ends.
import Decoding
import Foundation
import Lab
import TerminalUI

/// Milliseconds per sample: how many, the median, the 90th percentile and the slowest.
public struct BenchTiming: Encodable, Sendable {
    public let count: Int
    public let median_ms: Double
    public let p90_ms: Double
    public let max_ms: Double

    public init(_ ms: [Double]) {
        let s = ms.sorted()
        count = s.count
        median_ms = s.isEmpty ? 0 : BenchClock.median(s)
        p90_ms = s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * 0.9))]
        max_ms = s.last ?? 0
    }
}

/// What `bench explorers` prints, JSON keys as written.
public struct ExplorerBenchReport: Encodable, Sendable {
    public let build: String
    public let model: String
    public let screen: String
    public let slider: BenchTiming
    public let slider_model_calls: Int
    public let beam_step: BenchTiming
    public let beams: Int

    /// The issue's targets on the tiny ERNIE, in milliseconds.
    static let sliderTarget = 30.0, beamStepTarget = 50.0

    /// The report as a few readable lines, each timing against its target.
    public var text: String {
        func line(_ name: String, _ t: BenchTiming, _ target: Double) -> String {
            String(format: "%@ %4d × · median %6.2f ms · p90 %6.2f ms · max %6.2f ms  (target ≤ %.0f ms: %@)",
                   name, t.count, t.median_ms, t.p90_ms, t.max_ms, target, t.median_ms <= target ? "met" : "NOT met")
        }
        var lines = [
            "LMLab explorers benchmark — \(model), \(screen.replacingOccurrences(of: "x", with: "×")) screen, \(build) build",
            line("slider change (key + redraw)", slider, Self.sliderTarget),
            "  model calls during the slider changes: \(slider_model_calls)" + (slider_model_calls == 0
                ? " (the bars come from stored log-probs)" : " — the slider should not call the model"),
            line("beam step, \(beams) beams      ", beam_step, Self.beamStepTarget),
        ]
        if build == "debug" { lines.append("(debug build: re-run with `swift run -c release lmlab bench explorers`)") }
        return lines.joined(separator: "\n")
    }
}

public enum ExplorerBenchmark {
    /// "80x24" → (80, 24); nil unless COLSxROWS within 40x10…1000x1000.
    public static func screenSize(_ size: String) -> (cols: Int, rows: Int)? {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (40...1000).contains(parts[0]), (10...1000).contains(parts[1]) else { return nil }
        return (parts[0], parts[1])
    }

    /// Times `changes` temperature changes in the sampling explorer (ten up, ten down, …), then up to `steps`
    /// beam steps in the beam explorer, each a key plus a full redraw of a `cols`×`rows` screen. The explorers
    /// are made one after the other, so only one model is loaded at a time.
    /// Both explorers start as `lmlab sample --explore` and `lmlab beam --explore` do: `prompt` tokenized, the
    /// sliders at their defaults, `beams` beams and up to `steps` new tokens.
    /// - Parameter model: a model folder or name, also shown in the report.
    /// - Throws: what loading the model or making an explorer throws, `BenchError` when a beam step fails.
    public static func run(model: String, prompt: String, cols: Int, rows: Int, changes: Int, steps: Int,
                           beams: Int) throws -> ExplorerBenchReport {
        let screen = MemoryScreen(rows: rows, cols: cols)
        let spec = PromptSpec(model: model, text: prompt, ids: nil, bos: false)

        // Sampling explorer: T up ten times, down ten times, …
        let explorer = try ChosenModel(spec, api: nil).samplingExplorer()
        let sampling = SamplingExplorerPage(explorer: explorer)
        sampling.draw(on: screen)
        let callsBefore = explorer.model.calls
        var slider: [Double] = []
        for i in 0..<changes {
            let key: Key = (i / 10) % 2 == 0 ? .right : .left
            slider.append(BenchClock.milliseconds { _ = sampling.handle(key); sampling.draw(on: screen) })
        }
        let sliderCalls = explorer.model.calls - callsBefore

        // Beam explorer: space until the search ends or `steps` steps.
        let beamExplorer = try ChosenModel(spec, api: nil, maxNewTokens: steps)
            .beamExplorer(settings: BeamSearchSettings(beams: beams, maxNewTokens: steps))
        let beam = BeamExplorerPage(explorer: beamExplorer)
        beam.draw(on: screen)
        var stepTimes: [Double] = []
        while !beamExplorer.isDone && stepTimes.count < steps {
            stepTimes.append(BenchClock.milliseconds { _ = beam.handle(.char(" ")); beam.draw(on: screen) })
            if let message = beam.message { throw BenchError("beam step failed: \(message)") }
        }
        return ExplorerBenchReport(build: BenchClock.build, model: model, screen: "\(cols)x\(rows)",
                                   slider: BenchTiming(slider), slider_model_calls: sliderCalls,
                                   beam_step: BenchTiming(stepTimes), beams: beams)
    }
}
