import Foundation
import Testing
@testable import LabCore

/// A clock the test moves by hand.
final class FakeClock: @unchecked Sendable {
    var now = 100.0
}

@Test func trainingMeterReportsRateSmoothingAndETA() {
    let clock = FakeClock()
    var meter = TrainingMeter(totalSteps: 10, smoothing: 0.5, clock: { clock.now })
    #expect(meter.line == "step 0/10  starting…")
    clock.now += 2
    let first = meter.record(step: 1, loss: 4, tokens: 1000)
    #expect(first.smoothedLoss == 4)
    #expect(abs(first.tokensPerSecond - 500) < 1e-9)
    #expect(abs(first.secondsLeft! - 18) < 1e-9)     // 2 s per step, 9 steps left
    clock.now += 2
    let second = meter.record(step: 2, loss: 2, tokens: 1000)
    #expect(second.smoothedLoss == 3)                  // 4 + 0.5·(2 − 4)
    #expect(abs(second.secondsLeft! - 16) < 1e-9)
    #expect(meter.line == "step 2/10  loss 2.000 (smoothed 3.000)  500 tok/s  ETA 0:16")
    #expect(meter.samples.count == 2)
}

@Test func trainingMeterClockText() {
    #expect(TrainingMeter.clockText(41) == "0:41")
    #expect(TrainingMeter.clockText(725) == "12:05")
    #expect(TrainingMeter.clockText(3729) == "1:02:09")
    #expect(TrainingMeter.grouped(9870) == "9,870")
    #expect(TrainingMeter.grouped(1234567) == "1,234,567")
}

/// The default smoothing weighs the newest loss 8 / steps within 0.05 … 0.25, so a short run's smoothed loss follows
/// its losses: lesson 7's 40-step run ended 0.8 nats above every loss with a fixed 0.05 (w17 explorer walk 2).
@Test func shortRunsSmoothOverFewerSteps() {
    #expect(TrainingMeter.defaultSmoothing(40) == 0.2)
    #expect(TrainingMeter.defaultSmoothing(1) == 0.25 && TrainingMeter.defaultSmoothing(0) == 0.25)
    #expect(TrainingMeter.defaultSmoothing(160) == 0.05 && TrainingMeter.defaultSmoothing(5000) == 0.05)
    var meter = TrainingMeter(totalSteps: 40, clock: { 0 })
    for step in 1...40 { meter.record(step: step, loss: 8 - 3 * Double(step) / 40, tokens: 1) }   // 7.925 → 5.0
    let last = meter.samples.last!
    print("40 steps: loss \(last.loss), smoothed \(last.smoothedLoss)")
    #expect(last.smoothedLoss - last.loss < 0.4, "the smoothed loss lags \(last.smoothedLoss - last.loss) nats")
}
