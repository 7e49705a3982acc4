// MatrixEngineReport — `lmlab bench engine` (lesson 8, "hardware follows the formats"): which matrix engine the
// lab's prefill uses on this CPU, measured on one product of prefill's shape.
//
// Prefill multiplies T prompt tokens by every bf16 weight matrix at once: C [T, F] = A [T, D] · Wᵀ, W [F, D] bf16.
// LabCore's `gemmBF16Weights` takes one of three paths (Kernels/GEMMBF16.swift):
//   amx         Intel AMX tiles, 16×32 by 32×16 bf16 blocks summed in f32 (Xeon Sapphire Rapids and later)
//   avx512BF16  AVX512-BF16 dot products, 32 bf16 multiply-adds per instruction summed in f32 (AMD Zen 4, Intel
//               Cooper Lake: CPUs with the bf16 instructions but no tile engine)
//   widenF32    W widened to f32 block by block, then the f32 gemm compiled for this CPU (AVX-512 where present)
// This report runs the product with the path the engine picks here and with `widenF32` forced, on the same seeded
// bf16 weights, and prints both speeds and their largest difference. On a CPU without either bf16 path both runs
// take `widenF32`, and the report says so instead of pretending to compare.

import Foundation
import LabCore

public struct MatrixEngineReport: Sendable {
    public let amx: Bool
    public let avx512: Bool
    /// AVX512-BF16 (`vdpbf16ps`) is usable here.
    public let avx512BF16: Bool
    /// The path prefill takes here (the engine's default for this process).
    public let prefillPath: BF16GemmPath
    public let tokens: Int, rows: Int, depth: Int
    /// Median GFLOP/s of the engine's path and of `widenF32`.
    public let enginePathGFLOPS: Double, widenedGFLOPS: Double
    /// max |C_engine − C_widened| / max |C_widened|.
    public let relativeDifference: Double

    /// Measures C [tokens, rows] = A · Wᵀ with W [rows, depth] bf16 (default: 64 tokens through the 0.3B's
    /// gate_proj, 3072 × 1024), each path `repetitions` times.
    public static func measure(tokens: Int = 64, rows: Int = 3072, depth: Int = 1024, repetitions: Int = 5,
                               threads: Int = labThreadCount) -> MatrixEngineReport {
        let w = RandomErnieCheckpoint.randomBF16(count: rows * depth, seed: 1, tensor: 0)   // [rows, depth] bf16
        var rng = SeededRNG(seed: 2)
        let a = (0..<(tokens * depth)).map { _ in Float(rng.nextNormal()) }                  // [tokens, depth]
        var engine = [Float](repeating: 0, count: tokens * rows), widened = engine           // [tokens, rows]
        func run(_ path: BF16GemmPath?, into c: inout [Float]) -> (BF16GemmPath, Double) {
            var taken = BF16GemmPath.widenF32
            var times: [Double] = []
            for _ in 0..<repetitions {
                times.append(BenchClock.milliseconds {
                    taken = w.withUnsafeBytes { wb in
                        gemmBF16Weights(m: tokens, n: rows, k: depth, a: a, lda: depth, w: wb.baseAddress!, ldw: depth,
                                        c: &c, ldc: rows, threads: threads, path: path)
                    }
                })
            }
            return (taken, 2 * Double(tokens * rows * depth) / (BenchClock.median(times) / 1e3) / 1e9)
        }
        let (path, engineRate) = run(nil, into: &engine)
        let (_, widenedRate) = run(.widenF32, into: &widened)
        let scale = widened.reduce(0) { max($0, abs($1)) }
        let diff = zip(engine, widened).reduce(0) { max($0, abs($1.0 - $1.1)) }
        return MatrixEngineReport(amx: BF16GemmPolicy.amxSupported, avx512: BF16GemmPolicy.avx512Supported,
                                  avx512BF16: BF16GemmPolicy.avx512BF16Supported, prefillPath: path, tokens: tokens, rows: rows, depth: depth,
                                  enginePathGFLOPS: engineRate, widenedGFLOPS: widenedRate,
                                  relativeDifference: Double(diff / max(scale, .leastNormalMagnitude)))
    }

    /// The report in the learner's language.
    public var text: String {
        func yes(_ b: Bool) -> String { b ? Learner.text("yes", "有") : Learner.text("no", "没有") }
        let fallback = avx512 ? Learner.text("bf16 widened to f32, then the AVX-512 f32 gemm", "bf16 先扩成 f32，再用 AVX-512 做 f32 矩阵乘法")
                              : Learner.text("bf16 widened to f32, then the portable f32 gemm (no AVX-512 here)",
                                             "bf16 先扩成 f32，再用通用的 f32 矩阵乘法（本机没有 AVX-512）")
        let pathName = switch prefillPath {
        case .amx: Learner.text("AMX tiles (bf16 in, f32 sums)", "AMX 矩阵单元（bf16 输入，f32 累加）")
        case .avx512BF16: Learner.text("AVX512-BF16 dot products (bf16 in, f32 sums)", "AVX512-BF16 点积指令（bf16 输入，f32 累加）")
        case .widenF32: fallback
        }
        let shape = "[\(tokens), \(depth)] · [\(rows), \(depth)]ᵀ"
        var lines = [
            Learner.text("CPU: \(BenchClock.cpuModel())", "CPU：\(BenchClock.cpuModel())"),
            Learner.text("AMX-BF16 (matrix engine): \(yes(amx))    AVX512-BF16: \(yes(avx512BF16))    AVX-512: \(yes(avx512))",
                         "AMX-BF16（矩阵计算引擎）：\(yes(amx))    AVX512-BF16：\(yes(avx512BF16))    AVX-512：\(yes(avx512))"),
            Learner.text("prefill path here: \(prefillPath.rawValue) — \(pathName)",
                         "本机预填充（prefill）走的路径：\(prefillPath.rawValue) —— \(pathName)"),
            Learner.text("one prefill product \(shape) (64 tokens through the 0.3B's gate_proj):",
                         "一次预填充乘法 \(shape)（64 个词元经过 0.3B 的 gate_proj）："),
            String(format: Learner.text("  engine's path         %8.1f GFLOP/s", "  引擎所选路径          %8.1f GFLOP/s"), enginePathGFLOPS),
            String(format: Learner.text("  fallback (widenF32)   %8.1f GFLOP/s", "  后备路径（widenF32）  %8.1f GFLOP/s"), widenedGFLOPS),
            String(format: Learner.text("  max |Δ| between the two, relative: %.1e", "  两者的最大差 |Δ|（相对值）：%.1e"), relativeDifference),
        ]
        if prefillPath != .widenF32 {
            lines.append(Learner.text(
                "The bf16 path rounds the activations to bf16 before multiplying, so the two differ in the third significant digit at most.",
                "bf16 路径先把激活值舍入成 bf16 再相乘，所以两者至多在第三位有效数字上不同。"))
        } else {
            lines.append(Learner.text(
                "This CPU has no usable AMX or AVX512-BF16 (or --no-amx turned them off), so both runs took the same widenF32 path: "
                    + "the two speeds differ only by noise. On a Xeon with AMX (Sapphire Rapids or later) the prefill path would be amx, "
                    + "on an AMD Zen 4 avx512BF16.",
                "这颗 CPU 没有可用的 AMX 或 AVX512-BF16（或者被 --no-amx 关掉了），两次运行走的是同一条 widenF32 路径：速度只差在测量噪声上。"
                    + "换到带 AMX 的至强（Sapphire Rapids 及以后）上，预填充路径会是 amx；在 AMD Zen 4 上是 avx512BF16。"))
        }
        return lines.joined(separator: "\n")
    }
}
