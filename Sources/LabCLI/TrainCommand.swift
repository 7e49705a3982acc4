// `lmlab train …`: train the lab's own models, with live progress (loss, tokens/s, ETA), Ctrl-C that stops after
// a whole step and keeps a checkpoint, and --resume that continues from it.
//
//   $ lmlab train tiny-ernie --steps 3000
//   step 120/3000  loss 3.412 (smoothed 3.58)  9,870 tok/s  ETA 24:41
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
        discussion: CommandHelp.train,
        subcommands: [TrainTinyErnieCommand.self, TrainTinyErnieMoECommand.self, TrainTinyInstructCommand.self, TrainNNLMCommand.self,
                      TrainRecurrentCommand<ElmanCellCommand>.self, TrainRecurrentCommand<GRUCellCommand>.self, TrainSeq2SeqCommand.self])
}
