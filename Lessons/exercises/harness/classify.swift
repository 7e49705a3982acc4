// The harness `lmlab exercise check classify` compiles with your file and harness/wire.swift.
labServe { t in labelShares(t.matrix(0)) }
