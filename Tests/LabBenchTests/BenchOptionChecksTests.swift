// The benchmarks' option checks, LabBench's own: the explorers' screen size, the kernel pool against this machine's
// memory, and exactly one model source for the model benches. Each refusal names its option.
import ERNIE
import LabBench
import Testing

@Test func explorerScreenSizeReadsColsByRows() {
    #expect(ExplorerBenchmark.screenSize("80x24")! == (80, 24))
    #expect(ExplorerBenchmark.screenSize("120X40")! == (120, 40))
    for bad in ["80", "39x24", "80x9", "1001x24", "ax24", "80x24x2"] {
        #expect(ExplorerBenchmark.screenSize(bad) == nil, "\(bad)")
    }
}

@Test func kernelPoolMustFitInHalfTheMemory() throws {
    try KernelBenchReport.checkPool(mib: 1024, physicalMemory: 4 << 30)
    do {
        try KernelBenchReport.checkPool(mib: 4096, physicalMemory: 4 << 30)
        Issue.record("4 GiB of a 4 GiB machine")
    } catch {
        #expect("\(error)".contains("--pool-mib 4096 is more than half") && "\(error)".contains("(4096 MiB)"))
    }
}

@Test func modelBenchesTakeExactlyOneModelSource() throws {
    #expect(try ModelBenchSetup(model: nil, random03B: true, randomMoE: false, seed: 1, precision: .asStored)
        .randomShape == .ernie45_0_3B)
    #expect(try ModelBenchSetup(model: nil, random03B: false, randomMoE: true, seed: 1, precision: .asStored)
        .randomShape == RandomErnieCheckpoint.moeBench)
    #expect(try ModelBenchSetup(model: "m", random03B: false, randomMoE: false, seed: 1, precision: .int8).model == "m")
    for (model, a, b) in [(nil, false, false), ("m", true, false), (nil, true, true)] as [(String?, Bool, Bool)] {
        do {
            _ = try ModelBenchSetup(model: model, random03B: a, randomMoE: b, seed: 0, precision: .asStored)
            Issue.record("\(String(describing: model)) \(a) \(b)")
        } catch {
            #expect("\(error)".contains("exactly one of --model PATH, --random-0.3b and --random-moe"))
        }
    }
}
