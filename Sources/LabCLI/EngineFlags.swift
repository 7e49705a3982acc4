// EngineFlags — where the engine's switches (LabCore's EngineOptions) come from on the command line: the LMLAB_*
// variables of docs/PERFORMANCE.md, read once when lmlab starts, and the flags of the model benchmarks, which
// override them for one run. Nothing below the CLI reads the environment.
import ArgumentParser
import LabCore

extension EngineOptions {
    /// The options the LMLAB_* variables ask for, over the defaults: LMLAB_THREADS=N (N ≥ 1), LMLAB_SPIN_POOL=0,
    /// LMLAB_FUSED_MATVEC=0, LMLAB_MATVEC_PREFETCH=0, LMLAB_MAP_POPULATE=0, LMLAB_NO_AMX=1, LMLAB_NO_VNNI=1 (any value
    /// but "" and "0"). Anything else keeps the default.
    init(environment: [String: String]) {
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

/// Flags that turn one engine switch off for a benchmark run (A/B timing in one binary).
struct EngineFlags: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Worker threads (1…256; default: LMLAB_THREADS or the number of cores).")
    var threads: Int?

    @Flag(name: .customLong("no-spin-pool"), help: "Run parallel regions on Dispatch, not the lab's spinning pool.")
    var noSpinPool = false

    @Flag(name: .customLong("no-fused-matvec"), help: "One parallel region per matrix in a decode step.")
    var noFusedMatvec = false

    @Flag(name: .customLong("no-matvec-prefetch"), help: "No software prefetch in the bf16 and int8 matvec.")
    var noMatvecPrefetch = false

    @Flag(name: .customLong("no-map-populate"), help: "Map the checkpoint without MAP_POPULATE.")
    var noMapPopulate = false

    @Flag(name: .customLong("no-amx"), help: "Prefill's bf16 products without AMX or AVX512-BF16.")
    var noAMX = false

    func validate() throws {
        if let threads { try checkRange("--threads", threads, 1...256) }
    }

    /// `base` with these flags applied.
    func applied(to base: EngineOptions) -> EngineOptions {
        var options = base
        if let threads { options.threads = threads }
        if noSpinPool { options.spinningPool = false }
        if noFusedMatvec { options.fusedMatvec = false }
        if noMatvecPrefetch { options.matvecPrefetch = false }
        if noMapPopulate { options.mapPopulate = false }
        if noAMX { options.amx = false }
        return options
    }
}
