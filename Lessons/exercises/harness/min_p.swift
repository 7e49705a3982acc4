// The harness `lmlab exercise check min_p` compiles with your file and harness/wire.swift.
labServe { t in minP(t.numbers(0), minP: t.number(1)) }
