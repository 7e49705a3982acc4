// `lmlab train …`: train the lab's own models, with live progress (loss, tokens/s, ETA), Ctrl-C that stops after
// a whole step and keeps a checkpoint, and --resume that continues from it.
//
//   $ lmlab train tiny-ernie --steps 3000
//   step 120/3000  loss 3.412 (avg 3.58)  9,870 tok/s  ETA 24:41
//   $ lmlab train tiny-instruct --base Models/tiny-ernie
//
// Each model's subcommand lives in its own file (TrainTinyErnieCommand.swift, …); this file is the parent; the folder
// they write is Lab's TrainedModelFolder; progress goes through Lab's TrainingProgressLine.
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
          lmlab train tiny-ernie-moe                  the same, as a mixture of experts
          lmlab train tiny-instruct                   SFT of Models/tiny-ernie (chat)
          lmlab train tiny-ernie --bench 20           time 20 steps, save nothing
        Without --out a model goes to your own folder, <state>/models/<name> ($XDG_STATE_HOME/lmlab, default \
        ~/.local/state/lmlab): the models shipped in Models/ stay as the lessons quote them. To replace one on \
        purpose, name it: --out Models/<name>.
        """,
        subcommands: [TrainTinyErnieCommand.self, TrainTinyErnieMoECommand.self, TrainTinyInstructCommand.self, TrainNNLMCommand.self, TrainRNNCommand.self, TrainGRUCommand.self, TrainSeq2SeqCommand.self])
}
