// The harness `lmlab exercise check elman_step` compiles with your file and harness/wire.swift.
labServe { t in elmanStep(x: t.numbers(0), h: t.numbers(1), wIH: t.matrix(2), wHH: t.matrix(3), bIH: t.numbers(4), bHH: t.numbers(5)) }
