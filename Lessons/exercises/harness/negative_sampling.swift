// The harness `lmlab exercise check negative_sampling` compiles with your file and harness/wire.swift.
labServe { t in
    let r = negativeSamplingStep(h: t.numbers(0), outputs: t.matrix(1), samples: t.ints(2), alpha: t.number(3))
    return [r.loss, r.outputs, r.error] as [Any]
}
