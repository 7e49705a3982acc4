// What each command does beyond reading, computing and showing: the `CellEffects` conformances, the one place that
// classifies the commands for Lab's CellPolicy (what a lesson cell may do; CellPolicyTests' everyCommandIsClassified
// checks that every command is classified or reads, computes and shows only).
import Foundation
import Hub
import Lab
import LabBench
import NeuralLMs

// MARK: - What each command does beyond reading, computing and showing

extension DownloadCommand: CellEffects {
    var cellEffects: [CellEffect] {
        [.network(hubEndpoint.url.absoluteString), .writes(HubCache().root)]
    }
}

extension LessonExport: CellEffects {
    var cellEffects: [CellEffect] { [.runsLesson(file: lesson.file), .writes(outURL)] }
}

extension LessonRun: CellEffects { var cellEffects: [CellEffect] { [.runsLesson(file: lesson.file)] } }
extension ProbeCommand: CellEffects { var cellEffects: [CellEffect] { [.network(url)] } }
extension ServeCommand: CellEffects { var cellEffects: [CellEffect] { [.listens("\(host):\(port)")] } }
extension CheckCommand.Greedy: CellEffects { var cellEffects: [CellEffect] { remote.cellEffects } }

extension GenerateCommand: CellEffects { var cellEffects: [CellEffect] { remote.cellEffects } }
extension ProbCommand: CellEffects { var cellEffects: [CellEffect] { remote.cellEffects } }
extension BeamCommand: CellEffects { var cellEffects: [CellEffect] { remote.cellEffects } }
extension SampleCommand: CellEffects { var cellEffects: [CellEffect] { remote.cellEffects } }

extension ExerciseCommand.Check: CellEffects {
    /// Without --file it builds the learner's own Lessons/exercises/NAME.swift (the name is looked up in the
    /// catalog, so a lesson cannot choose the code): that is the exercise, and runs.
    var cellEffects: [CellEffect] {
        (file.map { [.runsCode(file: $0)] } ?? []) + remote.cellEffects
    }
}

extension ExerciseCommand.Reset: CellEffects {
    var cellEffects: [CellEffect] { [.writes(ExerciseCatalog.projectWorkFile(name))] }
}

extension EmbedCommand.Train: CellEffects {
    var cellEffects: [CellEffect] { save.map { [.writes(ProjectPaths.fileURL($0))] } ?? [] }
}

extension TinyTrainingOptions {
    /// The model folder `name` is written; --bench trains a throw-away tokenizer in the temporary folder and saves
    /// nothing.
    func effects(writing name: String) -> [CellEffect] { bench != nil ? [] : [run.writing(name)] }
}

extension TrainTinyErnieCommand: CellEffects {
    var cellEffects: [CellEffect] { pretraining.training.effects(writing: "tiny-ernie") }
}

extension TrainTinyErnieMoECommand: CellEffects {
    var cellEffects: [CellEffect] { evaluate != nil ? [] : pretraining.training.effects(writing: "tiny-ernie-moe") }
}

extension TrainTinyInstructCommand: CellEffects {
    var cellEffects: [CellEffect] { training.effects(writing: "tiny-ernie-instruct") }
}

extension TrainNNLMCommand: CellEffects {
    var cellEffects: [CellEffect] { [training.writing("nnlm-\(corpus)")] }
}

extension TrainRecurrentCommand: CellEffects {
    var cellEffects: [CellEffect] { [training.writing(name)] }
}

extension TrainSeq2SeqCommand: CellEffects {
    var cellEffects: [CellEffect] { [training.writing(noAttention ? "seq2seq-numbers-plain" : "seq2seq-numbers")] }
}

/// --random-0.3b and --random-moe write a 0.7 / 1.7 GB checkpoint into the temporary folder once.
extension BenchModelOptions {
    var cellEffects: [CellEffect] {
        model == nil ? [.writes(RandomErnieCheckpoint.defaultFolder(config: randomShape, seed: seed))] : []
    }
}

extension BenchDecode: CellEffects { var cellEffects: [CellEffect] { options.cellEffects } }
extension BenchPrefill: CellEffects { var cellEffects: [CellEffect] { options.cellEffects } }
extension BenchBeam: CellEffects { var cellEffects: [CellEffect] { options.cellEffects } }
