// Loading the PyTorch fixtures written by scripts/make_autograd_fixtures.py, and the comparison every parity
// test uses.
//
// Tolerance: the fixtures are float64 references computed from the same float32 inputs, so they are the exact
// answer; our float32 result passes when, for every element, |ours − ref| ≤ 1e-5 · max(1, |ref|) (relative for
// values above 1 in magnitude, absolute below).

import Foundation
import LabCore
import Testing

struct Fixture: Decodable {
    struct Stored: Decodable {
        let shape: [Int]
        let data: [Double]
    }
    let tensors: [String: Stored]
    let ints: [String: [Int]]

    init(_ name: String) throws {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw FixtureError.missing(name)
        }
        self = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// A stored tensor as Float32 (inputs were drawn in float32, so they come back exactly).
    func tensor(_ name: String) -> Tensor {
        let t = reference(name)
        return Tensor(shape: t.shape, data: t.data.map { Float($0) })
    }

    /// A stored tensor in the float64 of the reference computation.
    func reference(_ name: String) -> Stored {
        guard let t = tensors[name] else { preconditionFailure("fixture has no tensor '\(name)'; regenerate with scripts/make_autograd_fixtures.py") }
        return t
    }
}

enum FixtureError: Error, CustomStringConvertible {
    case missing(String)
    var description: String {
        switch self {
        case .missing(let name):
            return "Tests/AutogradTests/Fixtures/\(name).json is missing; regenerate it with python3 scripts/make_autograd_fixtures.py"
        }
    }
}

/// The relative tolerance of every parity check (see the file comment for the formula).
let parityTolerance = 1e-5

/// Compares `actual` with the fixture's float64 `expected`; prints the max abs difference and returns the max of
/// |a − b| / max(1, |b|).
@discardableResult
func expectClose(_ label: String, _ actual: Tensor?, _ expected: Fixture.Stored,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    guard let actual else {
        Issue.record("\(label): no value (the gradient never reached it)", sourceLocation: sourceLocation)
        return .infinity
    }
    #expect(actual.shape == expected.shape, "\(label): shape \(actual.shape) vs \(expected.shape)", sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return .infinity }
    var maxAbs = 0.0, maxRel = 0.0
    for (a, b) in zip(actual.data, expected.data) {
        let d = abs(Double(a) - b)
        maxAbs = max(maxAbs, d)
        maxRel = max(maxRel, d / max(1, abs(b)))
    }
    print("\(label): max abs diff \(maxAbs), max rel diff \(maxRel)")
    #expect(maxRel <= parityTolerance, "\(label): max rel diff \(maxRel) > \(parityTolerance)", sourceLocation: sourceLocation)
    return maxRel
}
