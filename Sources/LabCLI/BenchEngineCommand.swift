// `lmlab bench engine`: which matrix engine prefill uses on this CPU (AMX or the AVX-512/portable fallback), with
// one prefill-shaped product timed both ways. The measuring and the wording are LabBench/MatrixEngineReport.swift.
import ArgumentParser
import Lab
import LabBench

struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Which matrix engine the lab's prefill uses here (AMX or AVX-512), timed on one product.",
        discussion: CommandHelp.benchEngine)

    func run() throws {
        print(MatrixEngineReport.measure().text)
    }
}
