// TrainingLoop — the one loop every neural model of lessons 5–6 trains with.
//
//   for step in start+1 … total:
//       try Cancellation.check()            Ctrl-C lands here, between steps, never inside a kernel
//       (loss, tokens) = trainStep(step)    forward, backward, clip, optimizer step — the model's own code
//       meter.record(step, loss, tokens)    loss, smoothed loss, tokens/s, ETA (LabCore/TrainingMeter.swift)
//
// On Ctrl-C the loop returns normally with `cancelled == true`: the model keeps every step taken so far, and the
// caller may save a checkpoint to `--resume` from later. Nothing here knows a terminal: progress goes to a closure.

import LabCore

/// How a training run ended.
public struct TrainingOutcome: Sendable {
    /// The last step that finished (the next run resumes after it).
    public var lastStep: Int
    /// True when Ctrl-C stopped the run before `totalSteps`.
    public var cancelled: Bool
    /// The curve of this run (steps before a resume are not in it).
    public var samples: [TrainingSample]
    /// The meter's last line, for the final report.
    public var summary: String
}

/// Runs `trainStep` for steps `startStep + 1 … totalSteps`, reporting through `progress` every `reportEvery` steps
/// (and after the last one).
/// - Parameters:
///   - totalSteps: the planned number of steps of the whole run (a resumed run counts from the checkpoint's step).
///   - startStep: steps already taken (0 for a fresh model, the checkpoint's step on resume).
///   - checkCancel: throws `CancellationRequested` to stop (default: Ctrl-C through `Cancellation.check`; tests inject their own
///     so parallel tests never share the process-wide flag).
///   - trainStep: one optimizer step; returns its loss and how many tokens it consumed.
/// - Throws: whatever `trainStep` throws; cancellation is not an error here.
public func runTrainingLoop(totalSteps: Int, startStep: Int = 0, reportEvery: Int = 10,
                            progress: (TrainingMeter) -> Void = { _ in },
                            checkCancel: () throws -> Void = { try Cancellation.check() },
                            trainStep: (Int) throws -> (loss: Float, tokens: Int)) throws -> TrainingOutcome {
    var meter = TrainingMeter(totalSteps: totalSteps)
    var last = startStep
    var cancelled = false
    var step = startStep + 1
    while step <= totalSteps {
        do { try checkCancel() } catch is CancellationRequested { cancelled = true; break }
        let (loss, tokens) = try trainStep(step)
        meter.record(step: step, loss: Double(loss), tokens: tokens)
        last = step
        if step % reportEvery == 0 || step == totalSteps { progress(meter) }
        step += 1
    }
    if cancelled { progress(meter) }
    return TrainingOutcome(lastStep: last, cancelled: cancelled, samples: meter.samples, summary: meter.line)
}
