// TrainingMeter — what every training loop of the lab reports while it runs: step, loss (raw and smoothed),
// throughput in tokens (or words) per second, and the time left.
//
// A loop calls `record(step:loss:tokens:)` after each optimizer step and `try Cancellation.check()` between steps;
// on Ctrl-C the loop stops and returns the model trained so far (the meter's `summary` says where it stopped).
// The meter knows nothing of terminals: `line` is a plain one-line report, `sample` a value a renderer can plot.

import Foundation

/// One point of a training curve.
public struct TrainingSample: Sendable, Equatable, Codable {
    public var step: Int
    public var loss: Double
    /// Exponential moving average of the loss (α = `TrainingMeter.smoothing`), steadier to read than `loss`.
    public var smoothedLoss: Double
    /// Tokens (or words) per second over the whole run so far.
    public var tokensPerSecond: Double
    /// Seconds left at the current rate; nil before the first step or when the total is unknown.
    public var secondsLeft: Double?
    public var elapsed: Double
}

public struct TrainingMeter: Sendable {
    /// Steps planned; 0 when unknown.
    public let totalSteps: Int
    /// Weight of the newest loss in the moving average.
    public let smoothing: Double
    public private(set) var samples: [TrainingSample] = []
    private let start: Double
    private var tokens: Int = 0
    private let clock: @Sendable () -> Double

    /// - Parameters:
    ///   - smoothing: the newest loss's weight; by default `defaultSmoothing(totalSteps)`.
    ///   - clock: seconds from any fixed origin (tests pass a fake clock).
    public init(totalSteps: Int, smoothing: Double? = nil,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate }) {
        let smoothing = smoothing ?? Self.defaultSmoothing(totalSteps)
        precondition(totalSteps >= 0 && smoothing > 0 && smoothing <= 1)
        self.totalSteps = totalSteps
        self.smoothing = smoothing
        self.clock = clock
        self.start = clock()
    }

    /// 0.05 (about the last 20 steps) for a long run; more for a short one, whose smoothed curve would otherwise lag
    /// far behind: lesson 7's 40-step run ended 0.8 nats above every loss it smoothed (w17 explorer walk 2). A run of
    /// N steps weighs the newest loss 8 / N, at most 0.25.
    public static func defaultSmoothing(_ totalSteps: Int) -> Double {
        min(0.25, max(0.05, 8 / Double(max(totalSteps, 1))))
    }

    /// Records a finished step that consumed `tokens` tokens and returns its sample.
    @discardableResult
    public mutating func record(step: Int, loss: Double, tokens stepTokens: Int) -> TrainingSample {
        tokens += stepTokens
        let elapsed = max(clock() - start, 1e-9)
        let smoothed = samples.last.map { $0.smoothedLoss + smoothing * (loss - $0.smoothedLoss) } ?? loss
        let done = samples.count + 1
        var left: Double? = nil
        if totalSteps > 0 { left = elapsed / Double(done) * Double(max(totalSteps - step, 0)) }
        let sample = TrainingSample(step: step, loss: loss, smoothedLoss: smoothed,
                                    tokensPerSecond: Double(tokens) / elapsed, secondsLeft: left, elapsed: elapsed)
        samples.append(sample)
        return sample
    }

    /// "step 120/500  loss 3.412 (smoothed 3.580)  9,870 tok/s  ETA 0:41", in the learner's language
    /// ("第 120/500 步 损失 3.412（平滑 3.580） 9,870 词元/秒 剩余 0:41"); "smoothed" as the training page's legend.
    public var line: String {
        let p = Self.lineParts(samples.last, totalSteps: totalSteps)
        return p.head + p.loss + p.tail.joined(separator: Self.fieldGap)
    }

    /// What separates the line's fields: two spaces in English, one in Chinese, where the full-width brackets already
    /// set the average apart (and a notebook cell's line then fits in 80 columns: walk 16).
    public static var fieldGap: String { Learner.text("  ", " ") }

    /// The line in parts, so a renderer can set the loss apart and move fields that do not fit: ("step 120/500  ",
    /// "loss 3.412", [" (smoothed 3.580)", "9,870 tok/s", "ETA 0:41"]) — the tail's fields joined by `fieldGap`, the first
    /// one right after the loss; before the first step ("step 0/500  starting…", "", []).
    public static func lineParts(_ sample: TrainingSample?, totalSteps: Int) -> (head: String, loss: String, tail: [String]) {
        let of = totalSteps > 0 ? "/\(totalSteps)" : ""
        let gap = fieldGap
        guard let s = sample else { return (Learner.text("step 0\(of)", "第 0\(of) 步") + gap + Learner.text("starting…", "开始…"), "", []) }
        let (loss, avg) = (fixed(s.loss, 3), fixed(s.smoothedLoss, 3))
        let speed = grouped(Int(s.tokensPerSecond.rounded()))
        var tail = [Learner.text(" (smoothed \(avg))", "（平滑 \(avg)）"), Learner.text("\(speed) tok/s", "\(speed) 词元/秒")]
        if let left = s.secondsLeft { tail.append(Learner.text("ETA ", "剩余 ") + clockText(left)) }
        return (Learner.text("step \(s.step)\(of)", "第 \(s.step)\(of) 步") + gap, Learner.text("loss ", "损失 ") + loss, tail)
    }

    /// "0:41", "12:05", "1:02:09".
    public static func clockText(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }

    static func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    /// 1234567 → "1,234,567" (reports and tables).
    public static func grouped(_ v: Int) -> String {
        let digits = String(abs(v))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (v < 0 ? "-" : "") + out
    }
}
