// The harness `lmlab exercise check bahdanau` compiles with your file and harness/wire.swift.
labServe { t in
    let r = bahdanau(query: t.numbers(0), annotations: t.matrix(1), w: t.matrix(2), b: t.numbers(3), u: t.matrix(4), v: t.numbers(5))
    return [r.weights, r.context]
}
