// Exercise int8_rows (lesson 8): int8 quantisation of a weight row.
//
// Symmetric per-row int8: scale = max|w| / 127 and q[c] = round(w[c] / scale), rounded to the nearest integer
// (ties to even) and kept within −127…127, so w[c] ≈ scale · q[c]. A row of zeros has scale 0 and q = 0.
//
// Check your work with:   lmlab exercise check int8_rows
// Stuck?                  lmlab exercise hint int8_rows
// Leave this running:     lmlab exercise watch int8_rows
import Foundation

func quantizeRow(_ w: [Double]) -> (scale: Double, q: [Int]) {
    // TODO: the scale from the largest magnitude, then every weight as a multiple of it.
    return (1, w.map { Int($0) })
}
