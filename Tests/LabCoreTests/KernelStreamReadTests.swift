// The bandwidth probe reads every byte: its SIMD sum equals the one-at-a-time Double sum.
import Testing
@testable import LabCore

@Test func streamReadSumsEveryElement() {
    let buffer = StreamReadBuffer(bytes: 4 << 20)
    let reference = streamReadSumNaive(buffer)
    for threads in [1, 2, 3] {
        let (sum, gbps) = buffer.measure(threads: threads)
        let rel = abs(Double(sum) - reference) / reference
        print("stream read sum, \(threads) threads: relative diff \(rel) (\(gbps) GB/s on a cached 4 MiB buffer)")
        #expect(rel <= 1e-5)
        #expect(gbps > 0)
    }
}
