// argmax and top-k: fast equals naive on data full of ties; hand-checked tie-breaking and NaN handling.
import Testing
@testable import LabCore

@Test func argmaxAndTopKHandChecked() {
    let x: [Float] = [1, 3, 3, 2, .nan, 3, -.infinity]
    // 3 at indices 1, 2, 5 (lower index first), then 2 at 3, 1 at 0, −∞ at 6, NaN last.
    #expect(argmax(x, count: x.count) == 1)
    #expect(topK(x, count: x.count, k: 4) == [1, 2, 5, 3])
    #expect(topK(x, count: x.count, k: 10) == [1, 2, 5, 3, 0, 6, 4])
    #expect(topK(x, count: x.count, k: 0) == [])
    let nans: [Float] = [.nan, .nan, -.infinity]
    #expect(argmax(nans, count: 3) == 2)
    #expect(argmaxNaive(nans, count: 3) == 2)
    #expect(argmax([Float.nan, .nan], count: 2) == 0)
}

@Test func argmaxAndTopKEqualNaive() {
    var rng = SeededRNG(seed: 11)
    var checked = 0
    for count in [1, 3, 17, 1023, 103_424] {
        // Few distinct values → many ties; sprinkle NaN and ±∞.
        var x = (0..<count).map { _ in Float(rng.nextInt(below: 50)) - 25 }
        for _ in 0..<(count / 100) { x[rng.nextInt(below: count)] = [Float.nan, .infinity, -.infinity][rng.nextInt(below: 3)] }
        #expect(argmax(x, count: count) == argmaxNaive(x, count: count), "argmax count \(count)")
        for k in [0, 1, 3, 17, 40, count, count + 5] {
            #expect(topK(x, count: count, k: k) == topKNaive(x, count: count, k: k), "topK count \(count) k \(k)")
            checked += 1
        }
    }
    print("top-k: \(checked) cases identical to the naive sort (max difference 0 indices)")
}
