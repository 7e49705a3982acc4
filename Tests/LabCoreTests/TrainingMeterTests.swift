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
