// `lmlab exercise plug NAME`: the lab runs on the learner's own passing code beside its own implementation
// (LabExercises/ExercisePlug.swift does the work).
import ArgumentParser
import Foundation
import Lab
import LabCore
import LabExercises

extension ExerciseCommand {
    struct Plug: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plug",
            abstract: "Run the lab on your passing exercise, beside the lab's own implementation.",
            discussion: CommandHelp.exercisePlug(pluggable: ExercisePlug.pluggable))

        @Argument(help: "The exercise.")
        var name: String
        @Option(name: .long, help: "The model (default tiny-ernie; the greedy decoder also runs on ERNIE-4.5-0.3B when downloaded).")
        var model: String = "tiny-ernie"
        @Option(name: .long, help: "The prompt (sampling, greedy_decoder, chat_template).")
        var prompt: String = "One day, Luna went to the"
        @Option(name: .long, help: "add_k: the sentence to score (words of the Luna story).")
        var sentence: String = "luna called him captain ."
        @Option(name: .long, help: ArgumentHelp("The exercise's parameter, default in brackets: "
                    + "temperature T (0.7), top-k k (5), top-p p (0.9), min-p (0.1), add-k k (1)."))
        var parameter: Double?
        @Option(name: .long, help: "The seed of the draw (sampling exercises).")
        var seed: UInt64 = 0
        @Option(name: .long, help: "greedy_decoder: new tokens to generate.")
        var maxNewTokens: Int = 16
        @OptionGroup var common: CourseLanguage

        func validate() throws { try usage { try lab.validate() } }

        var lab: ExercisePlug {
            ExercisePlug(model: model, prompt: prompt, sentence: sentence, parameter: parameter, seed: seed,
                         maxNewTokens: maxNewTokens, lang: common.language)
        }

        func run() throws {
            let catalog = try ExerciseCatalog.ofProject()
            Cancellation.reset()
            print(try lab.run(try catalog.entry(name), catalog: catalog).joined(separator: "\n"))
        }
    }
}
