// EngineOptions — the switches that choose how the engine runs in this process: how many threads, whether
// parallel regions go to the spinning pool, whether decode fuses the matrices that share an input, whether the
// bf16 matvec prefetches, whether checkpoints are mapped with MAP_POPULATE, whether prefill may use AMX tiles or AVX512-BF16.
//
// Every switch is on by default and each one only changes speed, never a result (docs/PERFORMANCE.md measures
// each against its "off"). They exist to time one piece against its absence in one binary. No kernel reads the
// environment: the CLI builds these options once at start (`lmlab bench … --no-amx`, or the LMLAB_* variables
// that docs/PERFORMANCE.md documents) and sets `EngineOptions.current` before the first model or kernel runs.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the kernels, the thread pool and the model loader run in this process.
public struct EngineOptions: Sendable, Equatable {
    /// Worker threads of `parallelFor` (and the helpers of the spinning pool: threads − 1, fixed at its first use).
    public var threads: Int
    /// Parallel regions run on `SpinningPool` (Linux); false = `DispatchQueue.concurrentPerform` only.
    public var spinningPool: Bool
    /// A one-token decode applies q/k/v (and gate/up) in one parallel region (`matvecBF16Multi`); false = one
    /// region per matrix. Results are bit-identical.
    public var fusedMatvec: Bool
    /// `matvecBF16Rows` and `matvecInt8` prefetch the next row group.
    public var matvecPrefetch: Bool
    /// Checkpoints are mapped with MAP_POPULATE (Linux): page tables filled inside mmap, not by page faults.
    public var mapPopulate: Bool
    /// bf16-weight matrix products use the CPU's bf16 instructions where it has them — AMX tiles, else AVX512-BF16
    /// dot products (`BF16GemmPolicy.defaultPath`); false = bf16 W widened to f32, activations kept f32.
    public var amx: Bool
    /// int4-weight matvecs use the AVX-512 VNNI kernel (x quantised to int8 per group) where the CPU has it.
    public var vnni: Bool = true

    /// All switches on, one thread per online core.
    public init(threads: Int = EngineOptions.onlineCores, spinningPool: Bool = true, fusedMatvec: Bool = true,
                matvecPrefetch: Bool = true, mapPopulate: Bool = true, amx: Bool = true) {
        precondition(threads >= 1, "EngineOptions: threads must be at least 1 (got \(threads))")
        self.threads = threads
        self.spinningPool = spinningPool
        self.fusedMatvec = fusedMatvec
        self.matvecPrefetch = matvecPrefetch
        self.mapPopulate = mapPopulate
        self.amx = amx
    }

    /// The processor cores online now (at least 1).
    public static let onlineCores: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// The options the engine follows. Set it at start, before the first kernel runs; changing it while a model
    /// computes is a data race. `withOptions` sets it for one command and restores it.
    public nonisolated(unsafe) static var current = EngineOptions()

    /// Runs `body` with `options` as `current`, then restores the previous options.
    public static func withOptions<T>(_ options: EngineOptions, _ body: () throws -> T) rethrows -> T {
        let saved = current
        current = options
        defer { current = saved }
        return try body()
    }

    /// The options the LMLAB_* variables ask for, over the defaults: LMLAB_THREADS=N (N ≥ 1), LMLAB_SPIN_POOL=0,
    /// LMLAB_FUSED_MATVEC=0, LMLAB_MATVEC_PREFETCH=0, LMLAB_MAP_POPULATE=0, LMLAB_NO_AMX=1, LMLAB_NO_VNNI=1 (any value
    /// but "" and "0"). Anything else keeps the default. The CLI passes its environment once, at start.
    public init(environment: [String: String]) {
        self.init()
        if let n = environment["LMLAB_THREADS"].flatMap({ Int($0) }), n > 0 { threads = n }
        let off: (String) -> Bool = { environment[$0] == "0" }
        spinningPool = !off("LMLAB_SPIN_POOL")
        fusedMatvec = !off("LMLAB_FUSED_MATVEC")
        matvecPrefetch = !off("LMLAB_MATVEC_PREFETCH")
        mapPopulate = !off("LMLAB_MAP_POPULATE")
        if let v = environment["LMLAB_NO_AMX"], !v.isEmpty, v != "0" { amx = false }
        if let v = environment["LMLAB_NO_VNNI"], !v.isEmpty, v != "0" { vnni = false }
    }
}
