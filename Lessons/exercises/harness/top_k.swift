// The harness `lmlab exercise check top_k` compiles with your file and harness/wire.swift.
labServe { t in topK(t.numbers(0), k: t.int(1)) }
