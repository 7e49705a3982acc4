// The model benchmarks' flags override the engine's switches (set from the LMLAB_* variables at start) for one run;
// the variables themselves are EngineOptions(environment:), tested in LabCoreTests/EngineOptionsTests.swift.
import LabCore
import Testing
@testable import LabCLI

@Test func benchFlagsOverrideTheEnvironment() throws {
    let base = EngineOptions(threads: 4, fusedMatvec: false)
    let none = try BenchDecode.parse(["--random-0.3b"])
    #expect(none.options.engine.applied(to: base) == base)
    let some = try BenchDecode.parse(["--random-0.3b", "--threads", "1", "--no-amx", "--no-spin-pool"])
    #expect(some.options.engine.applied(to: base)
            == EngineOptions(threads: 1, spinningPool: false, fusedMatvec: false, amx: false))
    #expect(throws: (any Error).self) { try BenchPrefill.parse(["--random-0.3b", "--threads", "0"]) }
}
