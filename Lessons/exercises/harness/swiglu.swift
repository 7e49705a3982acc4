// The harness `lmlab exercise check swiglu` compiles with your file and harness/wire.swift.
labServe { t in swiglu(t.numbers(0), wGate: t.matrix(1), wUp: t.matrix(2), wDown: t.matrix(3)) }
