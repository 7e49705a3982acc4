// `lmlab train …`: train the lab's own models, with live progress (loss, tokens/s, ETA), Ctrl-C that stops after
// a whole step and keeps a checkpoint, and --resume that continues from it.
//
//   $ lmlab train tiny-ernie --steps 3000
//   step 120/3000  loss 3.412 (avg 3.58)  9,870 tok/s  ETA 24:41
//   $ lmlab train tiny-instruct --base Models/tiny-ernie
//
// Each model's subcommand lives in its own file (TrainTinyErnieCommand.swift, …); this file is the parent and the
// progress printing they share.
import ArgumentParser
import Foundation
import Lab
import LabCore

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the lab's own models: live loss, tokens/s and ETA; Ctrl-C keeps a checkpoint, --resume continues.",
        discussion: """
        Examples:
          lmlab train tiny-ernie                      the base model, on the stories
          lmlab train tiny-ernie --steps 200 --out /tmp/t   a short run elsewhere
          lmlab train tiny-ernie --resume             continue after Ctrl-C
          lmlab train tiny-instruct                   SFT of Models/tiny-ernie (chat)
          lmlab train tiny-ernie --bench 20           time 20 steps, save nothing
        Without --out a model goes to your own folder, <state>/models/<name> ($XDG_STATE_HOME/lmlab, default \
        ~/.local/state/lmlab): the models shipped in Models/ stay as the lessons quote them. To replace one on \
        purpose, name it: --out Models/<name>.
        """,
        subcommands: [TrainTinyErnieCommand.self, TrainTinyInstructCommand.self, TrainNNLMCommand.self, TrainRNNCommand.self, TrainGRUCommand.self, TrainSeq2SeqCommand.self])
}

/// Prints a training loop's progress: rewritten in place on a terminal, one line every `every` steps otherwise.
struct TrainingProgressPrinter {
    let interactive = isatty(STDERR_FILENO) == 1
    var every = 50

    func show(_ sample: TrainingSample, _ meter: TrainingMeter) {
        if let watch = TrainingWatch.watcher { watch(meter); return }      // a TrainingPage draws it
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + meter.line).utf8))
        } else if sample.step % every == 0 {
            FileHandle.standardError.write(Data((meter.line + "\n").utf8))
        }
    }

    func finish() {
        if interactive && TrainingWatch.watcher == nil { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// The folder a training run writes: --out as given, else <state>/models/<name> — never the shipped Models/<name>
/// unless --out names it.
func trainingFolder(out: String?, name: String) -> URL {
    out.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        ?? ProjectPaths.trainedModels().appendingPathComponent(name, isDirectory: true)
}

/// Says, before training starts, where the model will go when --out was left out.
func announceTrainingFolder(_ folder: URL, name: String, outGiven: Bool) {
    guard !outGiven else { return }
    let shipped = ProjectPaths.shippedModels().map { $0.appendingPathComponent(name).path }
    let kept = shipped.map { FileManager.default.fileExists(atPath: $0) } == true
        ? "your own copy; the shipped Models/\(name) stays as it is" : "your own models folder"
    print("Writing \(folder.path) (\(kept); --out DIR picks another folder).")
}

/// After a model is saved: in a session (the REPL, a lesson's cells) its name now means this folder, so a later
/// `--model NAME` (or the command's default model) finds what was just trained; elsewhere, how to use it.
/// - Parameter usage: a command line that uses the folder, shown outside a session.
func rememberTrainedModel(_ name: String, at folder: URL, usage: String) {
    if SessionModels.shared.interactive {
        SessionModels.shared.bind(name, to: folder.path)
        print("In this session, \(name) now means this model (\(folder.path)).")
    } else {
        print("Use it: \(usage)")
    }
}
