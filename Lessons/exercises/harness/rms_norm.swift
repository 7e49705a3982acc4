// The harness `lmlab exercise check rms_norm` compiles with your file and harness/wire.swift.
labServe { t in rmsNorm(t.numbers(0), gain: t.numbers(1), epsilon: t.number(2)) }
