// The engine's switches reach it from the LMLAB_* variables, read once when lmlab starts (and from the model
// benchmarks' flags, LabCLITests/EngineFlagsTests.swift). Unset or unrecognised values keep the defaults.
import LabCore
import Testing

@Test func environmentTurnsSwitchesOffAndPinsThreads() {
    #expect(EngineOptions(environment: [:]) == EngineOptions())
    let all = EngineOptions(environment: ["LMLAB_THREADS": "3", "LMLAB_SPIN_POOL": "0", "LMLAB_FUSED_MATVEC": "0",
                                          "LMLAB_MATVEC_PREFETCH": "0", "LMLAB_MAP_POPULATE": "0", "LMLAB_NO_AMX": "1"])
    #expect(all == EngineOptions(threads: 3, spinningPool: false, fusedMatvec: false, matvecPrefetch: false,
                                 mapPopulate: false, amx: false))
    // As before: only "0" turns a switch off, LMLAB_NO_AMX takes any value but "" and "0", bad thread counts are ignored.
    let kept = EngineOptions(environment: ["LMLAB_THREADS": "0", "LMLAB_SPIN_POOL": "no", "LMLAB_NO_AMX": "0"])
    #expect(kept == EngineOptions())
    #expect(EngineOptions(environment: ["LMLAB_NO_AMX": ""]).amx)
    #expect(EngineOptions(environment: ["LMLAB_THREADS": "x"]).threads == EngineOptions.onlineCores)
}
