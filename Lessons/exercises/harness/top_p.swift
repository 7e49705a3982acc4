// The harness `lmlab exercise check top_p` compiles with your file and harness/wire.swift.
labServe { t in topP(t.numbers(0), p: t.number(1)) }
