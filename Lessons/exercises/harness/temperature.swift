// The harness `lmlab exercise check temperature` compiles with your file and harness/wire.swift.
labServe { t in softmaxWithTemperature(t.numbers(0), temperature: t.number(1)) }
