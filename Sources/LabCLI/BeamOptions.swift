// BeamOptions — the beam-search options as `generate --strategy beam` and `beam` take them: one `@OptionGroup`, one
// wording and one range, turned into Decoding's BeamSearchSettings. --max-new-tokens stays each command's own: its
// default differs on purpose (generate continues a text, 32 tokens; beam draws a tree a screen can hold, 6).
import ArgumentParser
import Decoding
import Lab
import LabCore

struct BeamOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Number of beams (default 4; 1…\(BeamSearchSettings.maxBeams)).")
    var beams: Int?
    @Option(name: .customLong("num-return"), parsing: .unconditional, help: "How many finished sequences to show (default 1; ≤ beams).")
    var numReturn: Int?
    @Option(name: .long, parsing: .unconditional, help: "α in log P / length^α (default 1).")
    var lengthPenalty: Float?
    @Flag(name: .long, help: "Stop as soon as --beams sequences have finished.")
    var earlyStopping = false
    @Flag(name: .long, help: "early_stopping=\"never\" (with α > 0 assume beams may grow to the limit).")
    var neverStopEarly = false

    func validate() throws {
        try checkRange("--beams", beams, 1...BeamSearchSettings.maxBeams, hint: Learner.text("4 is usual; 1 is greedy search.", "常用 4；1 就是贪心搜索。"))
        if earlyStopping && neverStopEarly {
            throw ValidationError(OptionConflict.earlyStoppingBothWays)
        }
    }

    /// Whether any beam option was given (generate refuses them with another strategy).
    var isSet: Bool { beams != nil || numReturn != nil || lengthPenalty != nil || earlyStopping || neverStopEarly }

    /// The search these options ask for, `maxNewTokens` long.
    func settings(maxNewTokens: Int) -> BeamSearchSettings {
        BeamSearchSettings(beams: beams ?? 4, maxNewTokens: maxNewTokens, lengthPenalty: lengthPenalty ?? 1,
                           earlyStopping: earlyStopping ? .true : neverStopEarly ? .never : .false,
                           numReturnSequences: numReturn ?? 1)
    }
}
