// The harness `lmlab exercise check rope` compiles with your file and harness/wire.swift.
labServe { t in rope(t.numbers(0), position: t.int(1), theta: t.number(2)) }
