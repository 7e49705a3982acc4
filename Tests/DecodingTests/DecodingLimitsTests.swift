// Settings that would crash, wrap or grow without end are errors before the first model call (issue #17).
import Testing
@testable import Decoding

@Test func beamsAboveTheLimitAreRefusedNotWrapped() throws {
    for beams in [BeamSearchSettings.maxBeams + 1, 4_294_967_296, Int.max, 0, -1] {
        #expect(throws: DecodingError.self, "beams \(beams)") {
            try BeamSearchSettings(beams: beams, maxNewTokens: 4).validate()
        }
    }
    try BeamSearchSettings(beams: BeamSearchSettings.maxBeams, maxNewTokens: 4).validate()
    // K = max(2, 1 + #ends) · beams is counted with an overflow check, not wrapped into a negative k.
    #expect(try BeamSearchSettings(beams: 4, maxNewTokens: 4).candidatesPerStep(endTokens: 2) == 12)
    #expect(throws: DecodingError.self) {
        try BeamSearchSettings(beams: 64, maxNewTokens: 4).candidatesPerStep(endTokens: Int.max / 8)
    }
}

@Test func temperatureBelowTheMinimumIsRefused() throws {
    // 1e-39 is a subnormal Float: z / T overflowed to ±∞ and the softmax to NaN.
    for t: Float in [1e-39, 0, -1, .nan, .infinity, Temperature.minimum / 2] {
        #expect(throws: DecodingError.self, "T = \(t)") { try Temperature(t) }
    }
    var z: [Float] = [3, 1, -2]
    try Temperature(Temperature.minimum).process(&z, history: [])
    #expect(z.allSatisfy { $0.isFinite })
    #expect(probabilities(z)[0] == 1, "T at the minimum is greedy in all but name")
}
