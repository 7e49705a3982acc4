// TrainingRunOptions — the options every `train` command shares: how long (--steps), how much per step (--batch),
// how fast (--lr), the seed, the model's folder and name (--out, --name), --resume after Ctrl-C, --explore to watch.
// The two families of runs — the neural LMs of lessons 5–6 and the tiny ERNIEs — differ only in defaults, limits
// and wording, which a `TrainingFamily` names; the options are declared and checked here once.
import ArgumentParser
import Foundation
import Lab
import TerminalUI

/// A family of training runs: its defaults, limits and wording (Lab's TrainingDefaults).
protocol TrainingFamily { static var defaults: TrainingDefaults { get } }

struct TrainingRunOptions<Family: TrainingFamily>: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(Family.defaults.steps))
    var steps: Int?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(Family.defaults.batch))
    var batch: Int?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(Family.defaults.lr))
    var lr: Float?
    @Option(name: .long, parsing: .unconditional, help: "Seed of the weights and of the batch order.")
    var seed: UInt64 = Family.defaults.seed
    @Option(name: .long, help: ArgumentHelp(Family.defaults.out))
    var out: String?
    @Option(name: .long, help: ArgumentHelp(TrainedModelFolder.nameHelp)) var name: String?
    @Flag(name: .long, help: ArgumentHelp(Family.defaults.resume))
    var resume = false
    @Flag(name: .long, help: "Watch the run full screen: the loss curve as it grows; Ctrl-C stops it.")
    var explore = false

    func validate() throws {
        try checkRange("--steps", steps, 1...1_000_000)
        try checkRange("--batch", batch, 1...Family.defaults.batchLimit)
        try checkPositive("--lr", lr, maximum: 1)
        try usage { try TrainedModelFolder.check(name: name) }
    }

    /// What the session calls the model `kind` the run writes: --name, else the kind.
    func modelName(_ kind: String) -> String { name ?? kind }
    /// The model folder of the run writing the model `kind`: --out, else <state>/models/<modelName>.
    func folder(_ kind: String) -> URL { TrainedModelFolder.url(out: out, name: modelName(kind)) }
    /// What the run does to that folder, for the cell policy: adds to the run saved there with --resume, else writes.
    func writing(_ name: String) -> CellEffect { resume ? .continues(folder(name)) : .writes(folder(name)) }

    /// With --explore (and `also`), runs `body` — the command's own `run` — under the full-screen loss page and
    /// returns true; otherwise false, and the command trains as usual.
    func watched(_ title: String, also: Bool = true, _ body: @escaping () throws -> Void) throws -> Bool {
        try TrainingWatch.run(if: explore && also, title: title, body)
    }
}

enum NeuralRuns: TrainingFamily { static let defaults = TrainingDefaults.neural }

enum TinyErnieRuns: TrainingFamily { static let defaults = TrainingDefaults.tinyErnie }
