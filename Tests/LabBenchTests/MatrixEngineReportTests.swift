// `lmlab bench engine` (LabBench/MatrixEngineReport.swift): the path it reports is the one the engine takes on this
// CPU, the two paths agree on the product, and a CPU without bf16 hardware is told so.
import LabCore
import Testing
@testable import LabBench

@Test func matrixEngineReportNamesThePathThisCPUTakes() {
    let r = MatrixEngineReport.measure(tokens: 8, rows: 64, depth: 96, repetitions: 1)
    print("AMX \(r.amx), AVX512-BF16 \(r.avx512BF16), AVX-512 \(r.avx512), path \(r.prefillPath), max relative |Δ| \(r.relativeDifference)")
    #expect(r.prefillPath == (EngineOptions.current.amx ? BF16GemmPolicy.hardwarePath : .widenF32))
    #expect(r.relativeDifference < (r.prefillPath != .widenF32 ? 1e-2 : 1e-6))
    let text = Learner.$language.withValue(.en) { r.text }
    #expect(text.contains("prefill path here: \(r.prefillPath.rawValue)"))
    #expect(text.contains("no usable AMX or AVX512-BF16") == (r.prefillPath == .widenF32))
}
