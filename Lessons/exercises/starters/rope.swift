// Exercise rope (lesson 8): interleaved RoPE.
//
// Rotary position embedding as ERNIE 4.5 applies it to each query and key head vector x (even length Dh):
// pair i is the ADJACENT pair (x[2i], x[2i+1]), rotated by angle = position · θ^(−2i/Dh):
//   out[2i] = x[2i]·cos(angle) − x[2i+1]·sin(angle),   out[2i+1] = x[2i+1]·cos(angle) + x[2i]·sin(angle)
//
// Check your work with:   lmlab exercise check rope
// Stuck?                  lmlab exercise hint rope
// Leave this running:     lmlab exercise watch rope
import Foundation

func rope(_ x: [Double], position: Int, theta: Double) -> [Double] {
    // TODO: rotate every adjacent pair by its own angle.
    return x
}
