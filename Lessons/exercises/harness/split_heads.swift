// The harness `lmlab exercise check split_heads` compiles with your file and harness/wire.swift.
labServe { t in [splitHeads(t.matrix(0), heads: t.int(1)), mergeHeads(t.matrices(2))] as [Any] }
