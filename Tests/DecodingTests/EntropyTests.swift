// Entropy of next-token distributions, worked by hand: one certain token, a fair coin, a uniform die, and a
// distribution with removed (p = 0) tokens.
import Decoding
import Foundation
import Testing

@Test func entropyByHand() {
    let cases: [(p: [Float], h: Double)] = [
        ([1, 0, 0], 0),                                   // certain: no spread
        ([0.5, 0.5], log(2)),                             // a fair coin: ln 2 = 0.693 nats
        ([Float](repeating: 1 / 6, count: 6), log(6)),    // a fair die: ln 6
        ([0.25, 0, 0.75, 0], -(0.25 * log(0.25) + 0.75 * log(0.75))),   // removed tokens add nothing (0 · ln 0 = 0)
    ]
    var worst = 0.0
    for c in cases {
        let diff = abs(entropy(c.p) - c.h)
        #expect(diff < 1e-7, "H(\(c.p))")
        worst = max(worst, diff)
    }
    print("entropy vs hand-computed: max abs diff \(worst)")
}
