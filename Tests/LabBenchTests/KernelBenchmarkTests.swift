// The benchmark's median, hand-checked (the figure `lmlab bench kernels` reports).
import Testing
@testable import LabBench

@Test func kernelTimingMedian() {
    #expect(KernelTiming(samples: [3, 1, 2]).median == 2)
    #expect(KernelTiming(samples: [4, 1, 3, 2]).median == 2.5)
    #expect(KernelTiming(samples: [7]).median == 7)
    #expect(KernelTiming(samples: []).median.isNaN)
}
