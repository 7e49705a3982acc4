// The harness `lmlab exercise check gqa_heads` compiles with your file and harness/wire.swift.
labServe { t in keyValueHeads(queryHeads: t.int(0), keyValueHeads: t.int(1)) }
