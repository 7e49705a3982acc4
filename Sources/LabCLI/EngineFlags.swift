// EngineFlags — the flags of the model benchmarks that override the engine's switches (LabCore's EngineOptions, set
// from the LMLAB_* variables of docs/PERFORMANCE.md when lmlab starts) for one run. Nothing below the CLI reads the
// environment.
import ArgumentParser
import LabCore

/// Flags that turn one engine switch off for a benchmark run (A/B timing in one binary).
struct EngineFlags: ParsableArguments {
    @OptionGroup var workers: WorkerThreads

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

    func applied(to base: EngineOptions) -> EngineOptions {
        var options = base
        if let threads = workers.threads { options.threads = threads }
        if noSpinPool { options.spinningPool = false }
        if noFusedMatvec { options.fusedMatvec = false }
        if noMatvecPrefetch { options.matvecPrefetch = false }
        if noMapPopulate { options.mapPopulate = false }
        if noAMX { options.amx = false }
        return options
    }
}
