// The harness `lmlab exercise check analogy` compiles with your file and harness/wire.swift.
labServe { t in analogy(a: t.int(0), b: t.int(1), c: t.int(2), vectors: t.matrix(3)) }
