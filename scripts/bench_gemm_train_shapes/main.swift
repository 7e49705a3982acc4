// The tiny-ERNIE training step's gemm shapes (forward x·Wᵀ, ∂L/∂x, ∂L/∂W at B·T = 2048), single thread, best of 9: ms and
// GFLOP/s per shape. Built from LabCore's GEMM.swift/GEMMSkinny.swift by scripts/bench_gemm_train_shapes.sh.
import Foundation
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
let shapes: [(String, Int, Int, Int, Bool, Bool)] = [
 ("fwd q/o", 2048,192,192,false,true), ("fwd k/v", 2048,96,192,false,true), ("fwd gate/up", 2048,512,192,false,true),
 ("fwd down", 2048,192,512,false,true), ("fwd lm", 2048,3072,192,false,true),
 ("dX q/o", 2048,192,192,false,false), ("dX k/v", 2048,192,96,false,false), ("dX gate/up", 2048,192,512,false,false),
 ("dX down", 2048,512,192,false,false), ("dX lm", 2048,192,3072,false,false),
 ("dW q/o", 192,192,2048,true,false), ("dW k/v", 96,192,2048,true,false), ("dW gate/up", 512,192,2048,true,false),
 ("dW down", 192,512,2048,true,false), ("dW lm", 3072,192,2048,true,false)]
var total = 0.0
for (name, m, n, k, ta, tb) in shapes {
  let a = (0..<(m*k)).map { _ in Float.random(in: -1...1) }, b = (0..<(k*n)).map { _ in Float.random(in: -1...1) }
  var c = [Float](repeating: 0, count: m*n)
  let lda = ta ? m : k, ldb = tb ? k : n
  var best = 1e9
  for _ in 0..<9 {
    let t0 = now()
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
      gemm(transA: ta, transB: tb, m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, c: pc.baseAddress!, ldc: n, accumulate: false, threads: 1) }}}
    best = min(best, now() - t0)
  }
  total += best
  print(name, m, n, k, String(format: "%.3f ms  %.1f GFLOP/s", best*1e3, 2.0*Double(m*n*k)/best/1e9))
}
print(String(format: "total %.2f ms", total*1e3))
