// `lmlab bench engine`: which matrix engine prefill uses on this CPU (AMX or the AVX-512/portable fallback), with
// one prefill-shaped product timed both ways. The measuring and the wording are LabBench/MatrixEngineReport.swift.
import ArgumentParser
import LabBench

struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Which matrix engine the lab's prefill uses here (AMX or AVX-512), timed on one product.",
        discussion: """
        Runs one bf16 product of prefill's shape (64 tokens × the 0.3B's 3072 × 1024 gate_proj, seeded random \
        weights, nothing downloaded or written) with the engine's own path and with the widened-f32 fallback. On \
        a CPU without AMX both take the fallback, and the report says so.

        Examples:
          lmlab bench engine
        """)

    func run() throws {
        print(MatrixEngineReport.measure().text)
    }
}
